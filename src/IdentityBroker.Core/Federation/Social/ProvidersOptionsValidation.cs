using IdentityBroker.Iam.OidcProviders;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// Start-up checks of <c>Broker:Providers</c>: every endpoint an absolute https URL (http only on a loopback host), no
/// user info; app secrets non-empty. Messages name the key, never a secret's value.
/// </summary>
public sealed class ProvidersOptionsValidation : IValidateOptions<BrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var providers = options.Providers;
        var failures = new List<string>();
        CheckUrl(failures, "Google:DiscoveryUrl", providers.Google.DiscoveryUrl);
        CheckUrl(failures, "Google:Issuer", providers.Google.Issuer);
        CheckUrl(failures, "Apple:JwksUrl", providers.Apple.JwksUrl);
        CheckUrl(failures, "Apple:Issuer", providers.Apple.Issuer);
        CheckUrl(failures, "Facebook:GraphBaseUrl", providers.Facebook.GraphBaseUrl, allowQuery: false);
        CheckUrl(failures, "Facebook:LimitedLoginIssuer", providers.Facebook.LimitedLoginIssuer);
        CheckUrl(failures, "Facebook:LimitedLoginJwksUrl", providers.Facebook.LimitedLoginJwksUrl);
        CheckUrl(failures, "Amazon:TokenInfoUrl", providers.Amazon.TokenInfoUrl, allowQuery: false);
        CheckUrl(failures, "Amazon:ProfileUrl", providers.Amazon.ProfileUrl);
        CheckUrl(failures, "Google:AuthorizeUrl", providers.Google.AuthorizeUrl);
        CheckUrl(failures, "Google:TokenUrl", providers.Google.TokenUrl);
        CheckUrl(failures, "Google:AttributesUrl", providers.Google.AttributesUrl);
        CheckUrl(failures, "Apple:AuthorizeUrl", providers.Apple.AuthorizeUrl);
        CheckUrl(failures, "Apple:TokenUrl", providers.Apple.TokenUrl);
        CheckUrl(failures, "Facebook:DialogBaseUrl", providers.Facebook.DialogBaseUrl, allowQuery: false);
        CheckUrl(failures, "Amazon:AuthorizeUrl", providers.Amazon.AuthorizeUrl);
        CheckUrl(failures, "Amazon:TokenUrl", providers.Amazon.TokenUrl);
        CheckUrl(failures, "UserPools:IssuerBase", providers.UserPools.IssuerBase.Replace("{region}", "us-east-1", StringComparison.Ordinal), allowQuery: false);
        foreach (var (appId, secret) in providers.Facebook.AppSecrets)
        {
            if (string.IsNullOrWhiteSpace(appId) || string.IsNullOrEmpty(secret))
            {
                failures.Add($"Broker:Providers:Facebook:AppSecrets:{appId} must be a non-empty secret for a non-empty app id.");
            }
        }

        if (providers.RequestTimeout <= TimeSpan.Zero || providers.RequestTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add("Broker:Providers:RequestTimeout must be more than 0 and at most 00:02:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string key, string? value, bool allowQuery = true)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            failures.Add($"Broker:Providers:{key} must be an absolute URL without user info or fragment.");
            return;
        }

        if (!OidcProviderUrl.IsAllowedScheme(uri))
        {
            failures.Add($"Broker:Providers:{key} must use https (http only for a loopback host: 127.0.0.0/8, ::1 or localhost).");
        }

        if (!allowQuery && uri.Query.Length > 0)
        {
            failures.Add($"Broker:Providers:{key} must not have a query string.");
        }
    }
}
