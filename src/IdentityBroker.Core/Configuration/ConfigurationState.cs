using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Configuration;

/// <summary>The configuration resources as stored, each list in its document order (roles by name, providers and pools by key).</summary>
public sealed record ConfigurationState(
    IReadOnlyList<IamRole> Roles,
    IReadOnlyList<OidcProvider> OidcProviders,
    IReadOnlyList<SamlProvider> SamlProviders,
    IReadOnlyList<IdentityPool> Pools)
{
    /// <summary>Pools are read a page at a time; the configuration stores have no larger unit to read.</summary>
    private const int PageSize = 60;

    public static async Task<ConfigurationState> ReadAsync(
        IPoolStore pools, IIamStore iam, ISamlProviderStore saml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(iam);
        ArgumentNullException.ThrowIfNull(saml);
        var all = new List<IdentityPool>();
        string? next = null;
        do
        {
            var page = await pools.ListPoolsAsync(PageSize, next, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            next = page.NextToken;
        }
        while (next is not null);

        return new ConfigurationState(
            [.. (await iam.ListRolesAsync(cancellationToken).ConfigureAwait(false)).OrderBy(r => r.RoleName, StringComparer.Ordinal)],
            [.. (await iam.ListOidcProvidersAsync(cancellationToken).ConfigureAwait(false)).OrderBy(p => p.Arn, StringComparer.Ordinal)],
            [.. (await saml.ListSamlProvidersAsync(cancellationToken).ConfigureAwait(false)).OrderBy(p => p.Arn, StringComparer.Ordinal)],
            [.. all.OrderBy(p => p.IdentityPoolId, StringComparer.Ordinal)]);
    }
}
