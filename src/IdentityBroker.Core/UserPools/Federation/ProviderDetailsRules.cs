using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Federation.Social;
using IdentityBroker.Iam.OidcProviders;

namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// The ProviderDetails of each provider type, as the Cognito API reference (IdentityProviderType, ProviderDetails)
/// lists them: the keys each type requires, the keys it accepts, and the endpoints Cognito fills in for the public
/// providers (here from <c>Broker:Providers</c>, so that tests and air-gapped sites can point them elsewhere).
/// </summary>
public sealed class ProviderDetailsRules(ProvidersOptions endpoints)
{
    private static readonly string[] SocialRequired = ["client_id", "client_secret", "authorize_scopes"];
    private static readonly string[] AppleRequired = ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"];
    private static readonly string[] OidcRequired = ["client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"];
    private static readonly string[] OidcEndpoints = ["authorize_url", "token_url", "attributes_url", "jwks_uri"];

    /// <summary>The keys Cognito writes into a public provider's details; accepted back (a Describe reply sent to Update).</summary>
    private static readonly string[] Filled =
        ["authorize_url", "token_url", "attributes_url", "attributes_url_add_attributes", "token_request_method", "oidc_issuer", "api_version"];

    private static readonly string[] SamlKeys =
        ["MetadataFile", "MetadataURL", "IDPSignout", "IDPInit", "EncryptedResponses", "RequestSigningAlgorithm",
         "ActiveEncryptionCertificate", "SLORedirectBindingURI", "SSORedirectBindingURI"];

    /// <summary>The details to store: the request's, checked, with the filled-in endpoints.</summary>
    public Result<IReadOnlyDictionary<string, string>> Check(string providerType, IReadOnlyDictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return providerType switch
        {
            IdentityProviderTypes.Google => Social(details, SocialRequired, Google()),
            IdentityProviderTypes.Facebook => Social(details, SocialRequired, Facebook(details.GetValueOrDefault("api_version"))),
            IdentityProviderTypes.LoginWithAmazon => Social(details, SocialRequired, Amazon()),
            IdentityProviderTypes.SignInWithApple => Social(details, AppleRequired, Apple()),
            IdentityProviderTypes.Oidc => Oidc(details),
            IdentityProviderTypes.Saml => Saml(details),
            _ => UserPoolErrors.InvalidParameter($"ProviderType {providerType} is not supported."),
        };
    }

    private static Result<IReadOnlyDictionary<string, string>> Social(
        IReadOnlyDictionary<string, string> details, string[] required, Dictionary<string, string> filled)
    {
        if (Missing(details, required) is { } missing)
        {
            return Result<IReadOnlyDictionary<string, string>>.Fail(missing);
        }

        if (Unknown(details, required.Concat(Filled)) is { } unknown)
        {
            return Result<IReadOnlyDictionary<string, string>>.Fail(unknown);
        }

        foreach (var (key, value) in details)
        {
            filled[key] = value;
        }

        return Result<IReadOnlyDictionary<string, string>>.Ok(filled);
    }

    private static Result<IReadOnlyDictionary<string, string>> Oidc(IReadOnlyDictionary<string, string> details)
    {
        if (Missing(details, OidcRequired) is { } missing)
        {
            return Result<IReadOnlyDictionary<string, string>>.Fail(missing);
        }

        if (Unknown(details, OidcRequired.Concat(OidcEndpoints).Concat(["client_secret"])) is { } unknown)
        {
            return Result<IReadOnlyDictionary<string, string>>.Fail(unknown);
        }

        if (details["attributes_request_method"] is not ("GET" or "POST"))
        {
            return UserPoolErrors.InvalidParameter("attributes_request_method must be GET or POST.");
        }

        // Cognito reads the endpoints from the issuer's discovery document unless all four are given.
        var given = OidcEndpoints.Count(details.ContainsKey);
        if (given is > 0 and < 4)
        {
            return UserPoolErrors.InvalidParameter("authorize_url, token_url, attributes_url and jwks_uri must be given together, or none of them.");
        }

        foreach (var key in OidcEndpoints.Append("oidc_issuer"))
        {
            if (details.TryGetValue(key, out var url) && !IsAllowedUrl(url))
            {
                return UserPoolErrors.InvalidParameter($"{key} must be an https URL.");
            }
        }

        return Result<IReadOnlyDictionary<string, string>>.Ok(new Dictionary<string, string>(details, StringComparer.Ordinal));
    }

    private static Result<IReadOnlyDictionary<string, string>> Saml(IReadOnlyDictionary<string, string> details)
    {
        if (Unknown(details, SamlKeys) is { } unknown)
        {
            return Result<IReadOnlyDictionary<string, string>>.Fail(unknown);
        }

        var file = details.GetValueOrDefault("MetadataFile");
        var url = details.GetValueOrDefault("MetadataURL");
        if ((file is null) == (url is null))
        {
            return UserPoolErrors.InvalidParameter("Exactly one of MetadataFile or MetadataURL must be given for a SAML provider.");
        }

        if (file is not null && SamlMetadata.Parse(file).Error is not null)
        {
            return UserPoolErrors.InvalidParameter("MetadataFile is not a SAML IdP metadata document with a signing certificate.");
        }

        if (url is not null && !IsAllowedUrl(url))
        {
            return UserPoolErrors.InvalidParameter("MetadataURL must be an https URL.");
        }

        foreach (var flag in (string[])["IDPSignout", "IDPInit", "EncryptedResponses"])
        {
            if (details.TryGetValue(flag, out var value) && value is not ("true" or "false"))
            {
                return UserPoolErrors.InvalidParameter($"{flag} must be true or false.");
            }
        }

        if (details.TryGetValue("RequestSigningAlgorithm", out var algorithm) && algorithm != "rsa-sha256")
        {
            return UserPoolErrors.InvalidParameter("RequestSigningAlgorithm must be rsa-sha256.");
        }

        // ActiveEncryptionCertificate is output only (a Describe reply sent back to Update): the pool's current certificate
        // is added to every reply (SamlCertificates), never a stored copy that could go stale.
        var stored = new Dictionary<string, string>(details, StringComparer.Ordinal);
        stored.Remove(SamlCertificates.ActiveEncryptionCertificate);
        return Result<IReadOnlyDictionary<string, string>>.Ok(stored);
    }

    private Dictionary<string, string> Google() => new(StringComparer.Ordinal)
    {
        ["authorize_url"] = endpoints.Google.AuthorizeUrl,
        ["token_url"] = endpoints.Google.TokenUrl,
        ["attributes_url"] = endpoints.Google.AttributesUrl,
        ["attributes_url_add_attributes"] = "true",
        ["token_request_method"] = "POST",
        ["oidc_issuer"] = endpoints.Google.Issuer,
    };

    private Dictionary<string, string> Facebook(string? apiVersion)
    {
        var version = apiVersion ?? endpoints.Facebook.ApiVersion;
        var graph = endpoints.Facebook.GraphBaseUrl.TrimEnd('/');
        return new(StringComparer.Ordinal)
        {
            ["api_version"] = version,
            ["authorize_url"] = $"{endpoints.Facebook.DialogBaseUrl.TrimEnd('/')}/{version}/dialog/oauth",
            ["token_url"] = $"{graph}/{version}/oauth/access_token",
            ["attributes_url"] = $"{graph}/{version}/me?fields=",
            ["attributes_url_add_attributes"] = "true",
            ["token_request_method"] = "GET",
        };
    }

    private Dictionary<string, string> Amazon() => new(StringComparer.Ordinal)
    {
        ["authorize_url"] = endpoints.Amazon.AuthorizeUrl,
        ["token_url"] = endpoints.Amazon.TokenUrl,
        ["attributes_url"] = endpoints.Amazon.ProfileUrl,
        ["attributes_url_add_attributes"] = "false",
        ["token_request_method"] = "POST",
    };

    private Dictionary<string, string> Apple() => new(StringComparer.Ordinal)
    {
        ["authorize_url"] = endpoints.Apple.AuthorizeUrl,
        ["token_url"] = endpoints.Apple.TokenUrl,
        ["attributes_url_add_attributes"] = "false",
        ["token_request_method"] = "POST",
        ["oidc_issuer"] = endpoints.Apple.Issuer,
    };

    private static AwsError? Missing(IReadOnlyDictionary<string, string> details, string[] required) =>
        required.FirstOrDefault(k => string.IsNullOrEmpty(details.GetValueOrDefault(k))) is { } key
            ? UserPoolErrors.InvalidParameter($"{key} is required in ProviderDetails.")
            : null;

    private static AwsError? Unknown(IReadOnlyDictionary<string, string> details, IEnumerable<string> allowed)
    {
        var known = allowed.ToHashSet(StringComparer.Ordinal);
        return details.Keys.FirstOrDefault(k => !known.Contains(k)) is { } key
            ? UserPoolErrors.InvalidParameter($"ProviderDetails has an unknown key: {Printable(key)}.")
            : null;
    }

    private static bool IsAllowedUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0 && OidcProviderUrl.IsAllowedScheme(uri);

    /// <summary>A key is echoed only when short and plain, so that an error never carries a pasted secret.</summary>
    private static string Printable(string key) =>
        key.Length <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : "(not shown)";
}
