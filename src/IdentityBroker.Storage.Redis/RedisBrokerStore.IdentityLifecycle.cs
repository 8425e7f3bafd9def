using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The identity lifecycle (docs/identities.md, "Lifecycle"): last seen is a field of the identity's hash (so it goes with
/// the identity), the conditional delete one script on the pool's slot, the lease and the jobs on the <c>{lifecycle}</c> slot.
/// </summary>
public sealed partial class RedisBrokerStore : IIdentityLifecycleStore
{
    private const string RecordLastSeenScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'seen', ARGV[1]) end
        return 0
        """;

    /// <summary>
    /// KEYS as <see cref="RedisScripts.DeleteIdentity"/>; ARGV: id, seen-before ticks, guest only (1/0). Ticks compare as Lua
    /// numbers (doubles: exact to about 13 µs, far below the hour at which last seen is kept).
    /// </summary>
    private const string DeleteStaleScript = """
        local h = redis.call('HMGET', KEYS[4], 'logins', 'seen', 'created')
        if not h[1] then return 0 end
        if ARGV[3] == '1' and #cjson.decode(h[1]) > 0 then return 0 end
        if tonumber(h[2] or h[3]) >= tonumber(ARGV[2]) then return 0 end
        """ + "\n" + RedisScripts.DeleteIdentity;

    /// <summary>KEYS: the lease. ARGV: holder, now ticks, expiry ticks, TTL ms. The value is <c>holder|expiry ticks</c>.</summary>
    private const string LeaseScript = """
        local v = redis.call('GET', KEYS[1])
        if v then
          local bar = string.find(v, '|', 1, true)
          if string.sub(v, 1, bar - 1) ~= ARGV[1] and tonumber(string.sub(v, bar + 1)) > tonumber(ARGV[2]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[3], 'PX', ARGV[4])
        return 1
        """;

    /// <summary>
    /// Not waited for: the write is sent and the call returns (the connection keeps commands in order, so a later read on
    /// this store sees it). An identity this store has read or created needs no round trip at all (its pool is
    /// remembered, <see cref="IdentityPools"/>); any other costs one read of the id index first. A write lost to an
    /// outage is the same hour's mark missing once: the tracker writes again in the next hour (docs/redis-and-deploy.md).
    /// </summary>
    public Task RecordLastSeenAsync(string identityId, DateTimeOffset seen, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            if ((_identityPools.Find(identityId) ?? await PoolOfAsync(identityId).ConfigureAwait(false)) is { } poolId)
            {
                await Db.ScriptEvaluateAsync(
                    RecordLastSeenScript, [_keys.Pool(poolId).Identity(identityId)], [Ticks(seen)], CommandFlags.FireAndForget).ConfigureAwait(false);
            }
        });

    public Task<DateTimeOffset?> GetLastSeenAsync(string identityId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            if (await PoolOfAsync(identityId).ConfigureAwait(false) is not { } poolId)
            {
                return null;
            }

            var fields = await Db.HashGetAsync(_keys.Pool(poolId).Identity(identityId), ["seen", "created"]).ConfigureAwait(false);
            var ticks = fields[0].IsNull ? fields[1] : fields[0];
            return ticks.IsNull ? null : (DateTimeOffset?)new DateTimeOffset((long)ticks, TimeSpan.Zero);
        });

    public Task<bool> DeleteIdentityIfStaleAsync(string identityId, DateTimeOffset seenBefore, bool guestOnly, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            if (await PoolOfAsync(identityId).ConfigureAwait(false) is not { } poolId)
            {
                return false;
            }

            var keys = _keys.Pool(poolId);
            var deleted = (long)await Db.ScriptEvaluateAsync(
                DeleteStaleScript,
                [keys.Identities, keys.Enabled, keys.Logins, keys.Identity(identityId), keys.Guests],
                [identityId, Ticks(seenBefore), guestOnly ? "1" : "0"]).ConfigureAwait(false) == 1;
            if (deleted)
            {
                // After the script, as in DeleteIdentityAsync: an index entry without its identity reads as "not found".
                await Db.KeyDeleteAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
            }

            return deleted;
        });

    public Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            LeaseScript,
            [_keys.Lease(name)],
            [holder, Ticks(now), Ticks(now + duration), Text((long)duration.TotalMilliseconds + 60_000)]).ConfigureAwait(false) == 1);

    public Task SaveLifecycleJobAsync(string jobId, string document, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashSetAsync(_keys.LifecycleJobs, jobId, document));

    public Task<string?> GetLifecycleJobAsync(string jobId, CancellationToken cancellationToken) =>
        GuardAsync(async () => (string?)await Db.HashGetAsync(_keys.LifecycleJobs, jobId).ConfigureAwait(false));

    private async Task<string?> PoolOfAsync(string identityId) =>
        (string?)await Db.StringGetAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
}
