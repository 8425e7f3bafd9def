using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.OAuth;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The user-pool part of a configuration apply on Redis: the pool documents on the <c>{userpools}</c> slot are one step, and
/// each pool's app clients and groups (on its own <c>{userpool:&lt;id&gt;}</c> slot) are a step each, all with the same
/// version-checked script as the other resources, so an interference is refused and undone the same way. The clients and
/// groups of a deleted pool go with the pool's slot afterwards, as DeleteUserPoolAsync takes them.
/// </summary>
public sealed partial class RedisBrokerStore
{
    /// <summary>Reads every user-pool resource (naming those another writer changed) and returns the steps that write them.</summary>
    private async Task<List<(RedisKey[] Keys, bool Ordered, List<DocumentChange> Changes)>> ReadUserPoolsAsync(UserPoolChanges changes, List<string> interfered)
    {
        var steps = new List<(RedisKey[] Keys, bool Ordered, List<DocumentChange> Changes)>();
        var pools = new List<DocumentChange>();
        foreach (var change in changes.Pools)
        {
            await ReadOneAsync(change, ConfigurationChanges.UserPoolKind, _keys.UserPoolDocuments, change.Key, StoreJsonContext.Default.UserPool, pools, interfered).ConfigureAwait(false);
        }

        steps.Add(([_keys.UserPoolDocuments, _keys.UserPoolOrder, _keys.UserPoolSequence], true, pools));
        var deleted = changes.Pools.Where(p => p.After is null).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var byPool in changes.Clients.GroupBy(c => (c.Before ?? c.After)!.UserPoolId, StringComparer.Ordinal))
        {
            var keys = _keys.UserPool(byPool.Key);
            var step = new List<DocumentChange>();
            foreach (var change in byPool)
            {
                await ReadOneAsync(change, ConfigurationChanges.UserPoolClientKind, keys.ClientDocuments, (change.Before ?? change.After)!.ClientId,
                    StoreJsonContext.Default.UserPoolClient, step, interfered).ConfigureAwait(false);
            }

            if (!deleted.Contains(byPool.Key))
            {
                steps.Add(([keys.ClientDocuments, keys.ClientOrder, keys.ClientSequence], true, step));
            }
        }

        foreach (var byPool in changes.Groups.GroupBy(g => (g.Before ?? g.After)!.UserPoolId, StringComparer.Ordinal))
        {
            var keys = _keys.UserPool(byPool.Key);
            var step = new List<DocumentChange>();
            foreach (var change in byPool)
            {
                await ReadOneAsync(change, ConfigurationChanges.UserPoolGroupKind, keys.GroupDocuments, GroupNames.Key((change.Before ?? change.After)!.GroupName),
                    StoreJsonContext.Default.UserPoolGroup, step, interfered).ConfigureAwait(false);
            }

            if (!deleted.Contains(byPool.Key))
            {
                steps.Add(([keys.GroupDocuments, keys.GroupOrder, keys.GroupSequence], true, step));
            }
        }

        foreach (var byPool in changes.ResourceServers.GroupBy(r => (r.Before ?? r.After)!.UserPoolId, StringComparer.Ordinal))
        {
            var keys = _keys.UserPool(byPool.Key);
            var step = new List<DocumentChange>();
            foreach (var change in byPool)
            {
                await ReadOneAsync(change, ConfigurationChanges.ResourceServerKind, keys.ResourceServerDocuments, (change.Before ?? change.After)!.Identifier,
                    OAuthStoreJsonContext.Default.ResourceServer, step, interfered).ConfigureAwait(false);
            }

            if (!deleted.Contains(byPool.Key))
            {
                steps.Add(([keys.ResourceServerDocuments, keys.ResourceServerOrder, keys.ResourceServerSequence], true, step));
            }
        }

        return steps;
    }

    private async Task ReadOneAsync<T>(StoredChange<T> change, string kind, RedisKey hash, string field, JsonTypeInfo<T> json, List<DocumentChange> into, List<string> interfered)
        where T : class
    {
        var stored = await Db.HashGetAsync(hash, field).ConfigureAwait(false);
        var current = stored.IsNull ? null : JsonSerializer.Serialize(Deserialize((string)stored!, json), json);
        if (current != (change.Before is { } before ? JsonSerializer.Serialize(before, json) : null))
        {
            interfered.Add(ConfigurationChanges.Name(kind, change.Key));
            return;
        }

        into.Add(new DocumentChange(kind, change.Key, 1, stored.IsNull ? null : (string)stored!, change.After is { } after ? JsonSerializer.Serialize(after, json) : null)
        {
            Field = field,
        });
    }

    /// <summary>As TryCreateUserPoolAsync and TryCreateClientAsync do first: a created pool's slot is opened, a created client is findable by id.</summary>
    private async Task OpenUserPoolSlotsAsync(UserPoolChanges changes)
    {
        foreach (var created in changes.Pools.Where(c => c.Before is null))
        {
            await Db.StringSetAsync(_keys.UserPool(created.Key).Alive, "1").ConfigureAwait(false);
        }

        foreach (var created in changes.Clients.Where(c => c.Before is null && c.After is not null))
        {
            await Db.StringSetAsync(_keys.UserPoolClientIndex(created.After!.ClientId), created.After.UserPoolId).ConfigureAwait(false);
        }
    }

    /// <summary>After the steps: a deleted pool's slot is closed and purged, a deleted group's memberships removed.</summary>
    private async Task FinishUserPoolsAsync(UserPoolChanges changes)
    {
        foreach (var change in changes.Pools.Where(c => c.After is null))
        {
            var keys = _keys.UserPool(change.Key);
            await Db.KeyDeleteAsync(keys.Alive).ConfigureAwait(false);
            await PurgeUserPoolAsync(keys).ConfigureAwait(false);
        }

        var deleted = changes.Pools.Where(p => p.After is null).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var change in changes.Groups.Where(g => g.After is null && !deleted.Contains(g.Before!.UserPoolId)))
        {
            var keys = _keys.UserPool(change.Before!.UserPoolId);
            var key = GroupNames.Key(change.Before.GroupName);
            await Db.ScriptEvaluateAsync(RedisConfigurationScripts.PurgeDeletedGroupMembers,
                [keys.GroupDocuments, keys.GroupMembers(key)], [key, keys.MemberGroupsPrefix, RedisKeys.GroupsSuffix]).ConfigureAwait(false);
        }
    }
}
