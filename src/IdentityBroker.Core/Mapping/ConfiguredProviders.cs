using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Mapping;

/// <summary>Whether a RoleMappings or principal-tag key names a provider configured in the pool (docs/role-mapping.md).</summary>
public sealed class ConfiguredProviders(IIamStore iam)
{
    /// <summary>
    /// A Logins key of the pool (SupportedLoginProviders, SAML provider ARN), a user-pool provider with its client id, or
    /// an OIDC provider (by ARN or by its Logins key). <paramref name="bareUserPool"/> also admits a user-pool provider name
    /// without client id (principal-tag maps are set per provider name).
    /// </summary>
    public async Task<bool> IsConfiguredAsync(IdentityPool pool, string key, bool bareUserPool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.SupportedLoginProviders?.ContainsKey(key) == true
            || pool.SamlProviderARNs?.Contains(key) == true
            || pool.CognitoIdentityProviders?.Any(p => $"{p.ProviderName}:{p.ClientId}" == key || (bareUserPool && p.ProviderName == key)) == true)
        {
            return true;
        }

        foreach (var arn in pool.OpenIdConnectProviderARNs ?? [])
        {
            if (arn == key)
            {
                return true;
            }

            var oidc = await iam.GetOidcProviderAsync(arn, cancellationToken).ConfigureAwait(false);
            if (oidc?.ProviderKey == key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Logins keys of the pool's providers (for the amr of the operator checks).</summary>
    public async Task<IReadOnlyList<string>> LoginKeysAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var keys = new List<string>();
        keys.AddRange(pool.SupportedLoginProviders?.Keys ?? Enumerable.Empty<string>());
        keys.AddRange(pool.SamlProviderARNs ?? []);
        keys.AddRange((pool.CognitoIdentityProviders ?? []).Select(p => p.ProviderName).OfType<string>());
        foreach (var arn in pool.OpenIdConnectProviderARNs ?? [])
        {
            if (await iam.GetOidcProviderAsync(arn, cancellationToken).ConfigureAwait(false) is { } oidc)
            {
                keys.Add(oidc.ProviderKey);
            }
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }
}
