using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.ResourceServers;

namespace IdentityBroker.Configuration;

/// <summary>The staged user pools, app clients and groups (users are not configuration: a plan never reaches them).</summary>
public sealed partial class StagedConfigurationStore : IUserPoolStore, IUserPoolGroupStore, IResourceServerStore
{
    /// <summary>By <c>poolId/identifier</c> (<see cref="ClientKey"/>'s form).</summary>
    private readonly SortedDictionary<string, ResourceServer> _servers = new(StringComparer.Ordinal);

    private readonly SortedDictionary<string, UserPool> _userPools = new(StringComparer.Ordinal);

    /// <summary>By <see cref="ClientKey"/>: in the state's order (pool, then client id).</summary>
    private readonly SortedDictionary<string, UserPoolClient> _clients = new(StringComparer.Ordinal);

    /// <summary>By <see cref="GroupKey"/>; <see cref="State"/> lists them by pool, then name.</summary>
    private readonly SortedDictionary<string, UserPoolGroup> _groups = new(StringComparer.Ordinal);

    /// <summary>A client's key: ids have no '/' (<c>[\w-]+_[0-9a-zA-Z]+</c>, <c>[\w+]+</c>).</summary>
    public static string ClientKey(string userPoolId, string clientId) => $"{userPoolId}/{clientId}";

    /// <summary>A group's key: its pool and <see cref="GroupNames.Key"/> (group names are unique regardless of case).</summary>
    public static string GroupKey(string userPoolId, string groupName) => $"{userPoolId}/{GroupNames.Key(groupName)}";

    private void LoadUserPools(ConfigurationState state)
    {
        foreach (var pool in state.UserPools)
        {
            _userPools[pool.Id] = pool;
        }

        foreach (var client in state.UserPoolClients)
        {
            _clients[ClientKey(client.UserPoolId, client.ClientId)] = client;
        }

        foreach (var group in state.UserPoolGroups)
        {
            _groups[GroupKey(group.UserPoolId, group.GroupName)] = group;
        }

        foreach (var server in state.ResourceServers)
        {
            _servers[ClientKey(server.UserPoolId, server.Identifier)] = server;
        }
    }

    /// <summary>Gives a user pool created by CreateUserPool (with a new id) the id, and so the ARN, its document asks for.</summary>
    public void RenameUserPool(string userPoolId, string wantedId)
    {
        lock (_gate)
        {
            if (_userPools.Remove(userPoolId, out var pool))
            {
                _userPools[wantedId] = pool with { Id = wantedId, Arn = pool.Arn[..(pool.Arn.Length - userPoolId.Length)] + wantedId };
            }
        }
    }

    /// <summary>Gives an app client created by CreateUserPoolClient (with a new id) the id its document asks for.</summary>
    public void RenameClient(string userPoolId, string clientId, string wantedId)
    {
        lock (_gate)
        {
            if (_clients.Remove(ClientKey(userPoolId, clientId), out var client))
            {
                _clients[ClientKey(userPoolId, wantedId)] = client with { ClientId = wantedId };
            }
        }
    }

    public Task<bool> TryCreateUserPoolAsync(UserPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Add(_userPools, pool.Id, pool);
    }

    public Task<UserPool?> GetUserPoolAsync(string userPoolId, CancellationToken cancellationToken) => Get(_userPools, userPoolId);

    public Task<bool> UpdateUserPoolAsync(UserPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Replace(_userPools, pool.Id, pool);
    }

    /// <summary>The pool with its clients and groups, as the stores' deletes take them along.</summary>
    public Task<bool> DeleteUserPoolAsync(string userPoolId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var prefix = userPoolId + "/";
            foreach (var key in _clients.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _clients.Remove(key);
            }

            foreach (var key in _groups.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _groups.Remove(key);
            }

            foreach (var key in _servers.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _servers.Remove(key);
            }

            return Task.FromResult(_userPools.Remove(userPoolId));
        }
    }

    public Task<Page<UserPool>> ListUserPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Page<UserPool>([.. _userPools.Values], null));
        }
    }

    public Task<bool> TryCreateClientAsync(UserPoolClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        lock (_gate)
        {
            return Task.FromResult(_userPools.ContainsKey(client.UserPoolId) && _clients.TryAdd(ClientKey(client.UserPoolId, client.ClientId), client));
        }
    }

    public Task<UserPoolClient?> GetClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        Get(_clients, ClientKey(userPoolId, clientId));

    public Task<UserPoolClient?> FindClientAsync(string clientId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_clients.Values.FirstOrDefault(c => c.ClientId == clientId));
        }
    }

    public Task<bool> UpdateClientAsync(UserPoolClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Replace(_clients, ClientKey(client.UserPoolId, client.ClientId), client);
    }

    public Task<bool> DeleteClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        Remove(_clients, ClientKey(userPoolId, clientId));

    public Task<Page<UserPoolClient>> ListClientsAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Page<UserPoolClient>([.. _clients.Values.Where(c => c.UserPoolId == userPoolId)], null));
        }
    }

    public Task<GroupCreation> TryCreateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        lock (_gate)
        {
            return Task.FromResult(
                !_userPools.ContainsKey(group.UserPoolId) ? GroupCreation.NoPool
                : _groups.TryAdd(GroupKey(group.UserPoolId, group.GroupName), group) ? GroupCreation.Created
                : GroupCreation.NameTaken);
        }
    }

    public Task<UserPoolGroup?> GetGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken) =>
        Get(_groups, GroupKey(userPoolId, groupName));

    public Task<bool> UpdateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Replace(_groups, GroupKey(group.UserPoolId, group.GroupName), group);
    }

    public Task<bool> DeleteGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken) =>
        Remove(_groups, GroupKey(userPoolId, groupName));

    public Task<Page<UserPoolGroup>> ListGroupsAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Page<UserPoolGroup>([.. _groups.Values.Where(g => g.UserPoolId == userPoolId)], null));
        }
    }

    public Task<bool> TryCreateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        lock (_gate)
        {
            return Task.FromResult(_userPools.ContainsKey(server.UserPoolId) && _servers.TryAdd(ClientKey(server.UserPoolId, server.Identifier), server));
        }
    }

    public Task<ResourceServer?> GetResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken) =>
        Get(_servers, ClientKey(userPoolId, identifier));

    public Task<bool> UpdateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Replace(_servers, ClientKey(server.UserPoolId, server.Identifier), server);
    }

    public Task<bool> DeleteResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken) =>
        Remove(_servers, ClientKey(userPoolId, identifier));

    public Task<Page<ResourceServer>> ListResourceServersAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Page<ResourceServer>([.. _servers.Values.Where(r => r.UserPoolId == userPoolId)], null));
        }
    }

    // Memberships are users' state: a plan neither reads nor writes them; a call here is a bug in the sandbox's wiring.
    public Task<bool> AddMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken) => throw NoMembers();

    public Task<bool> RemoveMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken) => throw NoMembers();

    public Task<Page<string>> ListMembersAsync(string userPoolId, string groupName, int limit, string? nextToken, CancellationToken cancellationToken) =>
        throw NoMembers();

    public Task<Page<UserPoolGroup>> ListGroupsOfMemberAsync(string userPoolId, string member, int limit, string? nextToken, CancellationToken cancellationToken) =>
        throw NoMembers();

    public Task RemoveMemberFromAllGroupsAsync(string userPoolId, string member, CancellationToken cancellationToken) => throw NoMembers();

    private static InvalidOperationException NoMembers() => new("A configuration plan reads and writes no group membership.");
}
