using IdentityBroker.Tokens;
using IdentityBroker.Validation;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// The issuer of a broker user pool's tokens, <c>&lt;Broker:Issuer&gt;/&lt;userPoolId&gt;</c>, as Cognito's is
/// <c>https://cognito-idp.&lt;region&gt;.amazonaws.com/&lt;userPoolId&gt;</c> (Amazon Cognito Developer Guide, "Verifying JSON web
/// tokens"). Without its scheme it is the ProviderName an identity pool lists in CognitoIdentityProviders, and the Logins
/// key Amplify forms from the token's <c>iss</c>.
/// </summary>
public sealed class UserPoolIssuer(BrokerIssuer broker)
{
    public const string JwksPath = "/.well-known/jwks.json";

    public const string OpenIdConfigurationPath = "/.well-known/openid-configuration";

    public string IssuerOf(string userPoolId) => broker.Url + "/" + userPoolId;

    public string JwksUriOf(string userPoolId) => IssuerOf(userPoolId) + JwksPath;

    /// <summary>The CognitoIdentityProviders ProviderName of the pool: its issuer without scheme.</summary>
    public string ProviderNameOf(string userPoolId) => broker.HostPath + "/" + userPoolId;

    /// <summary>The user-pool id a ProviderName names when it is one of this broker's pools; null otherwise.</summary>
    public string? PoolIdOfProviderName(string? providerName) =>
        broker.IsResolved ? PoolIdAfter(providerName, broker.HostPath) : null;

    /// <summary>The user-pool id of a token's <c>iss</c> when it is one of this broker's pools; null otherwise.</summary>
    public string? PoolIdOfIssuer(string? issuer) => broker.IsResolved ? PoolIdAfter(issuer, broker.Url) : null;

    private static string? PoolIdAfter(string? value, string prefix)
    {
        if (value is null || value.Length <= prefix.Length + 1 || !value.StartsWith(prefix, StringComparison.Ordinal) || value[prefix.Length] != '/')
        {
            return null;
        }

        var id = value[(prefix.Length + 1)..];
        return IsPoolId(id) ? id : null;
    }

    /// <summary>UserPoolIdType: 1 to 55 characters of <c>[\w-]+_[0-9a-zA-Z]+</c>.</summary>
    public static bool IsPoolId(string value) => value.Length <= 55 && JavaPatterns.UserPoolId().IsMatch(value);
}
