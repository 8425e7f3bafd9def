using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Configuration;

/// <summary>
/// The configuration stores of a plan, in memory: a copy of the stored state that the broker's own operations change
/// while a document is checked (<see cref="ConfigurationSandbox"/>). Nothing here reaches the real store; what the
/// operations leave behind is the proposed state that apply writes.
/// </summary>
public sealed partial class StagedConfigurationStore : IPoolStore, IIamStore, ISamlProviderStore
{
    private readonly SortedDictionary<string, IdentityPool> _pools = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IamRole> _roles = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, OidcProvider> _oidc = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SamlProvider> _saml = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public StagedConfigurationStore(ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var pool in state.Pools)
        {
            _pools[pool.IdentityPoolId] = pool;
        }

        foreach (var role in state.Roles)
        {
            _roles[role.RoleName] = role;
        }

        foreach (var provider in state.OidcProviders)
        {
            _oidc[provider.Arn] = provider;
        }

        foreach (var provider in state.SamlProviders)
        {
            _saml[provider.Arn] = provider;
        }

        LoadUserPools(state);
    }

    public ConfigurationState State
    {
        get
        {
            lock (_gate)
            {
                return new ConfigurationState([.. _roles.Values], [.. _oidc.Values], [.. _saml.Values], [.. _pools.Values])
                {
                    UserPools = [.. _userPools.Values],
                    UserPoolClients = [.. _clients.Values],
                    UserPoolGroups = [.. _groups.Values],
                    ResourceServers = [.. _servers.Values],
                };
            }
        }
    }

    /// <summary>Gives a pool created by CreateIdentityPool (with a new id) the id its document asks for.</summary>
    public void Rename(string poolId, string wantedId)
    {
        lock (_gate)
        {
            if (_pools.Remove(poolId, out var pool))
            {
                _pools[wantedId] = pool with { IdentityPoolId = wantedId };
            }
        }
    }

    public bool HasPool(string poolId)
    {
        lock (_gate)
        {
            return _pools.ContainsKey(poolId);
        }
    }

    public Task CreatePoolAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        lock (_gate)
        {
            if (!_pools.TryAdd(pool.IdentityPoolId, pool))
            {
                throw new InvalidOperationException($"Identity pool '{pool.IdentityPoolId}' already exists.");
            }
        }

        return Task.CompletedTask;
    }

    public Task<IdentityPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken) => Get(_pools, poolId);

    public Task<bool> UpdatePoolAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Replace(_pools, pool.IdentityPoolId, pool);
    }

    public Task<bool> DeletePoolAsync(string poolId, CancellationToken cancellationToken) => Remove(_pools, poolId);

    /// <summary>The whole staged listing in one page: a plan never pages through pools.</summary>
    public Task<Page<IdentityPool>> ListPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Page<IdentityPool>([.. _pools.Values], null));
        }
    }

    public Task<int> CountPoolsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_pools.Count);
        }
    }

    public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Add(_roles, role.RoleName, role);
    }

    public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken) => Get(_roles, roleName);

    public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Replace(_roles, role.RoleName, role);
    }

    public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) => Remove(_roles, roleName);

    public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) => List(_roles);

    public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return Add(_oidc, provider.Arn, provider);
    }

    public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) => Get(_oidc, arn);

    public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return Replace(_oidc, provider.Arn, provider);
    }

    public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) => Remove(_oidc, arn);

    public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken) => List(_oidc);

    public Task<bool> TryCreateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return Add(_saml, provider.Arn, provider);
    }

    public Task<SamlProvider?> GetSamlProviderAsync(string arn, CancellationToken cancellationToken) => Get(_saml, arn);

    public Task<bool> UpdateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return Replace(_saml, provider.Arn, provider);
    }

    public Task<bool> DeleteSamlProviderAsync(string arn, CancellationToken cancellationToken) => Remove(_saml, arn);

    public Task<IReadOnlyList<SamlProvider>> ListSamlProvidersAsync(CancellationToken cancellationToken) => List(_saml);

    /// <summary>A plan validates no SAML assertion; a call here is a bug in the sandbox's wiring.</summary>
    public Task<SamlAssertionUse?> RecordAssertionUseAsync(SamlAssertionUse use, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A configuration plan records no SAML assertion.");

    private Task<T?> Get<T>(SortedDictionary<string, T> items, string key)
        where T : class
    {
        lock (_gate)
        {
            return Task.FromResult(items.GetValueOrDefault(key));
        }
    }

    private Task<bool> Add<T>(SortedDictionary<string, T> items, string key, T item)
    {
        lock (_gate)
        {
            return Task.FromResult(items.TryAdd(key, item));
        }
    }

    private Task<bool> Replace<T>(SortedDictionary<string, T> items, string key, T item)
    {
        lock (_gate)
        {
            if (!items.ContainsKey(key))
            {
                return Task.FromResult(false);
            }

            items[key] = item;
            return Task.FromResult(true);
        }
    }

    private Task<bool> Remove<T>(SortedDictionary<string, T> items, string key)
    {
        lock (_gate)
        {
            return Task.FromResult(items.Remove(key));
        }
    }

    private Task<IReadOnlyList<T>> List<T>(SortedDictionary<string, T> items)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<T>>([.. items.Values]);
        }
    }
}
