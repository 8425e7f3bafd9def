using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.ResourceServers;

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

    /// <summary>User pools by id.</summary>
    public IReadOnlyList<UserPool> UserPools { get; init; } = [];

    /// <summary>App clients by user pool id, then client id.</summary>
    public IReadOnlyList<UserPoolClient> UserPoolClients { get; init; } = [];

    /// <summary>Groups by user pool id, then group name.</summary>
    public IReadOnlyList<UserPoolGroup> UserPoolGroups { get; init; } = [];

    /// <summary>Resource servers by user pool id, then identifier.</summary>
    public IReadOnlyList<ResourceServer> ResourceServers { get; init; } = [];

    public static async Task<ConfigurationState> ReadAsync(
        IPoolStore pools, IIamStore iam, ISamlProviderStore saml, IUserPoolStore userPools, IUserPoolGroupStore groups, IResourceServerStore servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(iam);
        ArgumentNullException.ThrowIfNull(saml);
        ArgumentNullException.ThrowIfNull(userPools);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(servers);
        var all = await AllAsync(next => pools.ListPoolsAsync(PageSize, next, cancellationToken)).ConfigureAwait(false);
        var allUserPools = (await AllAsync(next => userPools.ListUserPoolsAsync(PageSize, next, cancellationToken)).ConfigureAwait(false))
            .OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var clients = new List<UserPoolClient>();
        var poolGroups = new List<UserPoolGroup>();
        var poolServers = new List<ResourceServer>();
        foreach (var pool in allUserPools)
        {
            clients.AddRange((await AllAsync(next => userPools.ListClientsAsync(pool.Id, PageSize, next, cancellationToken)).ConfigureAwait(false))
                .OrderBy(c => c.ClientId, StringComparer.Ordinal));
            poolGroups.AddRange((await AllAsync(next => groups.ListGroupsAsync(pool.Id, PageSize, next, cancellationToken)).ConfigureAwait(false))
                .OrderBy(g => g.GroupName, StringComparer.Ordinal));
            poolServers.AddRange((await AllAsync(next => servers.ListResourceServersAsync(pool.Id, PageSize, next, cancellationToken)).ConfigureAwait(false))
                .OrderBy(r => r.Identifier, StringComparer.Ordinal));
        }

        return new ConfigurationState(
            [.. (await iam.ListRolesAsync(cancellationToken).ConfigureAwait(false)).OrderBy(r => r.RoleName, StringComparer.Ordinal)],
            [.. (await iam.ListOidcProvidersAsync(cancellationToken).ConfigureAwait(false)).OrderBy(p => p.Arn, StringComparer.Ordinal)],
            [.. (await saml.ListSamlProvidersAsync(cancellationToken).ConfigureAwait(false)).OrderBy(p => p.Arn, StringComparer.Ordinal)],
            [.. all.OrderBy(p => p.IdentityPoolId, StringComparer.Ordinal)])
        {
            UserPools = allUserPools,
            UserPoolClients = clients,
            UserPoolGroups = poolGroups,
            ResourceServers = poolServers,
        };
    }

    private static async Task<List<T>> AllAsync<T>(Func<string?, Task<Page<T>>> page)
    {
        var all = new List<T>();
        string? next = null;
        do
        {
            var read = await page(next).ConfigureAwait(false);
            all.AddRange(read.Items);
            next = read.NextToken;
        }
        while (next is not null);
        return all;
    }
}
