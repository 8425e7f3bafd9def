using IdentityBroker.Pools;

namespace IdentityBroker.Mapping;

/// <summary>
/// Which configured provider name (RoleMappings key, principal-tag map key) a login answers to (Amazon Cognito Developer Guide, "Using role-based access control"): its Logins key
/// itself; for a user pool <c>&lt;provider&gt;:&lt;client id&gt;</c> where the client id is the token's <c>aud</c>; or the IAM
/// OIDC provider ARN whose host/path is the Logins key (the developer guide's example keys an OIDC mapping by ARN).
/// </summary>
public static class MappingKeys
{
    private const string OidcArnMarker = ":oidc-provider/";

    public static bool Matches(string key, MappingLogin login)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(login);
        if (key == login.ProviderKey)
        {
            return true;
        }

        if (key.StartsWith(login.ProviderKey + ":", StringComparison.Ordinal)
            && login.Audiences.Contains(key[(login.ProviderKey.Length + 1)..], StringComparer.Ordinal))
        {
            return true;
        }

        return key.StartsWith("arn:", StringComparison.Ordinal)
            && key.EndsWith(OidcArnMarker + login.ProviderKey, StringComparison.Ordinal);
    }

    /// <summary>The first key of <paramref name="map"/>, in ordinal order, that the login answers to.</summary>
    public static string? Find<T>(IReadOnlyDictionary<string, T>? map, MappingLogin login)
    {
        if (map is null)
        {
            return null;
        }

        return map.Keys.Order(StringComparer.Ordinal).FirstOrDefault(k => Matches(k, login));
    }

    /// <summary>User-pool provider names look like <c>cognito-idp.&lt;region&gt;.amazonaws.com/&lt;pool id&gt;</c>.</summary>
    public static bool IsUserPool(string providerKey) =>
        providerKey.StartsWith("cognito-idp.", StringComparison.Ordinal);

    /// <summary>The user-pool part of a key <c>&lt;provider&gt;:&lt;client id&gt;</c>, or the key itself.</summary>
    public static string ProviderPart(string key, IdentityPool pool)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(pool);
        var provider = pool.CognitoIdentityProviders?.FirstOrDefault(p => key == $"{p.ProviderName}:{p.ClientId}");
        return provider?.ProviderName ?? key;
    }
}
