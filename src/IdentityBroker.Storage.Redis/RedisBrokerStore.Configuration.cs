using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// A configuration apply on Redis: the IAM documents live on the <c>{iam}</c> slot and the pool documents on <c>{pools}</c>,
/// so no one script can write both. The apply reads every resource, refuses when one is no longer as the plan read it,
/// then writes in three steps — IAM creates and updates, pools, IAM deletes (a pool never names a role that is not yet
/// there) — each one script that compares every resource it writes with the value read (a version check) before writing
/// any. A step that finds another writer's change writes nothing and undoes the earlier steps the same way; what could not
/// be undone is reported, never left unsaid (docs/config-as-code.md).
/// </summary>
public sealed partial class RedisBrokerStore : IConfigurationStore
{
    private const int HashRoles = 1;
    private const int HashOidc = 2;
    private const int HashSaml = 3;

    public Task<ConfigurationWrite> ApplyConfigurationAsync(ConfigurationChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return GuardAsync(async () =>
        {
            var iam = new List<DocumentChange>();
            var pools = new List<DocumentChange>();
            var interfered = new List<string>();
            await ReadAsync(changes.Roles, ConfigurationChanges.RoleKind, _keys.Roles, HashRoles, StoreJsonContext.Default.IamRole, iam, interfered).ConfigureAwait(false);
            await ReadAsync(changes.OidcProviders, ConfigurationChanges.OidcProviderKind, _keys.OidcProviders, HashOidc, StoreJsonContext.Default.OidcProvider, iam, interfered).ConfigureAwait(false);
            await ReadAsync(changes.SamlProviders, ConfigurationChanges.SamlProviderKind, _keys.SamlProviders, HashSaml, RedisJsonContext.Default.SamlProvider, iam, interfered).ConfigureAwait(false);
            await ReadAsync(changes.Pools, ConfigurationChanges.PoolKind, _keys.PoolDocuments, 1, StoreJsonContext.Default.IdentityPool, pools, interfered).ConfigureAwait(false);
            if (interfered.Count > 0)
            {
                return new ConfigurationWrite(false, interfered, []);
            }

            foreach (var created in changes.Pools.Where(c => c.Before is null))
            {
                await Db.StringSetAsync(_keys.Pool(created.Key).Alive, "1").ConfigureAwait(false);
            }

            var userPools = await ReadUserPoolsAsync(changes.UserPools, interfered).ConfigureAwait(false);
            if (interfered.Count > 0)
            {
                return new ConfigurationWrite(false, interfered, []);
            }

            await OpenUserPoolSlotsAsync(changes.UserPools).ConfigureAwait(false);
            List<(RedisKey[] Keys, bool Ordered, List<DocumentChange> Changes)> steps =
            [
                (IamHashes, false, iam.Where(c => c.After is not null).ToList()),
                .. userPools,
                ([_keys.PoolDocuments, _keys.PoolOrder, _keys.PoolSequence], true, pools),
                (IamHashes, false, iam.Where(c => c.After is null).ToList()),
            ];
            for (var i = 0; i < steps.Count; i++)
            {
                var refused = await RunStepAsync(steps[i].Keys, steps[i].Ordered, steps[i].Changes, undo: false).ConfigureAwait(false);
                if (refused.Count > 0)
                {
                    var left = new List<string>();
                    for (var j = i - 1; j >= 0; j--)
                    {
                        left.AddRange(await RunStepAsync(steps[j].Keys, steps[j].Ordered, steps[j].Changes, undo: true).ConfigureAwait(false));
                    }

                    return new ConfigurationWrite(false, refused, left);
                }
            }

            await FinishUserPoolsAsync(changes.UserPools).ConfigureAwait(false);
            await FinishPoolsAsync(changes.Pools).ConfigureAwait(false);
            return ConfigurationWrite.Done;
        });
    }

    private RedisKey[] IamHashes => [_keys.Roles, _keys.OidcProviders, _keys.SamlProviders];

    /// <summary>Reads each resource's stored text; one whose content differs from the plan's Before is named in <paramref name="interfered"/>.</summary>
    private async Task ReadAsync<T>(
        IReadOnlyList<StoredChange<T>> changes, string kind, RedisKey hash, int hashIndex, JsonTypeInfo<T> json, List<DocumentChange> into, List<string> interfered)
        where T : class
    {
        foreach (var change in changes)
        {
            var stored = await Db.HashGetAsync(hash, change.Key).ConfigureAwait(false);
            var current = stored.IsNull ? null : JsonSerializer.Serialize(Deserialize((string)stored!, json), json);
            if (current != (change.Before is { } before ? JsonSerializer.Serialize(before, json) : null))
            {
                interfered.Add(ConfigurationChanges.Name(kind, change.Key));
                continue;
            }

            into.Add(new DocumentChange(kind, change.Key, hashIndex, stored.IsNull ? null : (string)stored!,
                change.After is { } after ? JsonSerializer.Serialize(after, json) : null));
        }
    }

    /// <summary>One step in one script; the resources it found changed (nothing is written then), by name.</summary>
    private async Task<List<string>> RunStepAsync(RedisKey[] keys, bool ordered, List<DocumentChange> changes, bool undo)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        var args = new List<RedisValue> { ordered ? "1" : "0" };
        foreach (var change in changes)
        {
            var (expected, next) = undo ? (change.After, change.Before) : (change.Before, change.After);
            args.Add(change.Hash);
            args.Add(change.Field);
            args.Add(expected is null ? "0" : "1");
            args.Add(expected ?? string.Empty);
            args.Add(next is null ? "0" : "1");
            args.Add(next ?? string.Empty);
        }

        var refused = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisConfigurationScripts.ApplyDocuments, keys, [.. args]).ConfigureAwait(false))!;
        return [.. refused.Select(r => Named(changes, (string)r!))];
    }

    private static string Named(List<DocumentChange> changes, string refused)
    {
        var bar = refused.IndexOf('|', StringComparison.Ordinal);
        var hash = int.Parse(refused[..bar], System.Globalization.CultureInfo.InvariantCulture);
        var change = changes.First(c => c.Hash == hash && c.Field == refused[(bar + 1)..]);
        return ConfigurationChanges.Name(change.Kind, change.Key);
    }

    /// <summary>After the pools' step: other replicas drop their cached copies; a deleted pool loses its identities as DeletePoolAsync does.</summary>
    private async Task FinishPoolsAsync(IReadOnlyList<StoredChange<IdentityPool>> pools)
    {
        foreach (var change in pools)
        {
            PublishPoolChange(change.Key);
            if (change.After is null)
            {
                var keys = _keys.Pool(change.Key);
                await Db.KeyDeleteAsync(keys.Alive).ConfigureAwait(false);
                await PurgePoolAsync(keys).ConfigureAwait(false);
            }
        }
    }

    /// <param name="Hash">The 1-based index of the resource's hash among the step's keys.</param>
    /// <param name="Before">The stored text as read (null: absent).</param>
    /// <param name="After">The text to store (null: delete).</param>
    private sealed record DocumentChange(string Kind, string Key, int Hash, string? Before, string? After)
    {
        /// <summary>The hash field: the key itself, except for resources keyed by their pool too (an app client's id, a group's name key).</summary>
        public string Field { get; init; } = Key;
    }
}

/// <summary>The configuration apply's script (one slot per call).</summary>
internal static class RedisConfigurationScripts
{
    /// <summary>
    /// KEYS: hashes, then (when ARGV[1] is '1', identity pools) the listing order and sequence. ARGV[1]: that flag; then per
    /// resource six values: hash index, field, has-expected, expected, has-new, new. Every field is compared first; when any
    /// differs from its expected text nothing is written and the differing ones come back as "index|field".
    /// </summary>
    public const string ApplyDocuments = """
        local ordered = ARGV[1] == '1'
        local n = (#ARGV - 1) / 6
        local refused = {}
        for i = 0, n - 1 do
          local b = 2 + i * 6
          local current = redis.call('HGET', KEYS[tonumber(ARGV[b])], ARGV[b + 1])
          local same
          if ARGV[b + 2] == '1' then same = current == ARGV[b + 3] else same = current == false end
          if not same then table.insert(refused, ARGV[b] .. '|' .. ARGV[b + 1]) end
        end
        if #refused > 0 then return refused end
        for i = 0, n - 1 do
          local b = 2 + i * 6
          local hash = KEYS[tonumber(ARGV[b])]
          local field = ARGV[b + 1]
          if ARGV[b + 4] == '1' then
            redis.call('HSET', hash, field, ARGV[b + 5])
            if ordered and ARGV[b + 2] == '0' then
              redis.call('ZADD', KEYS[#KEYS - 1], redis.call('INCR', KEYS[#KEYS]), field)
            end
          else
            redis.call('HDEL', hash, field)
            if ordered then redis.call('ZREM', KEYS[#KEYS - 1], field) end
          end
        end
        return refused
        """;

    /// <summary>
    /// KEYS: the pool's group documents, the group's members. ARGV: group key, member-groups prefix and suffix. Removes the
    /// memberships of a group an apply deleted, unless another writer created the group again meanwhile (as DeleteGroup does).
    /// </summary>
    public const string PurgeDeletedGroupMembers = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
        for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do redis.call('ZREM', ARGV[2] .. m .. ARGV[3], ARGV[1]) end
        redis.call('DEL', KEYS[2])
        return 1
        """;
}
