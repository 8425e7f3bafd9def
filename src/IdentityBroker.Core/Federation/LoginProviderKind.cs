using IdentityBroker.Federation.Developer;
using IdentityBroker.Federation.Social;
using IdentityBroker.Mapping;

namespace IdentityBroker.Federation;

/// <summary>
/// The kind of provider a Logins key names, as a metrics label: one of a fixed set, never the key itself (an OIDC key is
/// the issuer's host, a SAML key a provider ARN, a user-pool key names the pool).
/// </summary>
public static class LoginProviderKind
{
    public const string Google = "google";
    public const string Apple = "apple";
    public const string Facebook = "facebook";
    public const string Amazon = "amazon";
    public const string UserPool = "cognito_user_pool";
    public const string Developer = "developer";
    public const string Saml = "saml";
    public const string Oidc = "oidc";

    /// <summary>Any other key: an OpenID Connect issuer when a validator took it, otherwise an unsupported one (still <see cref="Oidc"/>).</summary>
    public static string Of(string providerKey)
    {
        ArgumentNullException.ThrowIfNull(providerKey);
        return providerKey switch
        {
            SupportedLogins.Google => Google,
            SupportedLogins.Apple => Apple,
            SupportedLogins.Facebook => Facebook,
            SupportedLogins.Amazon => Amazon,
            DeveloperTokenValidator.CognitoProviderKey => Developer,
            _ when MappingKeys.IsUserPool(providerKey) => UserPool,
            _ when providerKey.StartsWith("arn:", StringComparison.Ordinal) && providerKey.Contains(":saml-provider/", StringComparison.Ordinal) => Saml,
            _ => Oidc,
        };
    }
}
