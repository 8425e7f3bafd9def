namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The Lua scripts. Redis runs a script without interleaving any other command, so each one applies completely
/// or (when a check fails before its first write) not at all. Checks always come before writes.
/// Scripts over a pool's identities build identity keys from the pool's key prefix: those keys carry the same hash
/// tag as the declared KEYS, so in Redis Cluster they live on the same slot and node.
/// </summary>
internal static class RedisScripts
{
    /// <summary>KEYS: docs, order, seq. ARGV: pool id, document. 1 when created, 0 when the id exists. (Identity and user pools.)</summary>
    public const string CreatePool = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        local seq = redis.call('INCR', KEYS[3])
        redis.call('ZADD', KEYS[2], seq, ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: alive, docs, order, seq (one user pool's slot). ARGV: client id, document. 1 when created; 0 when the id
    /// exists; -1 when the pool is gone (its alive marker is removed before its clients are).
    /// </summary>
    public const string CreateUserPoolClient = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        local seq = redis.call('INCR', KEYS[4])
        redis.call('ZADD', KEYS[3], seq, ARGV[1])
        return 1
        """;

    /// <summary>KEYS: hash. ARGV: field, value. Replaces an existing field only: 1 when replaced, 0 when missing.</summary>
    public const string ReplaceField = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: docs, order. ARGV: pool id. 1 when the pool existed. (Identity and user pools.)</summary>
    public const string DeletePoolDocument = """
        local removed = redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return removed
        """;

    /// <summary>KEYS: docs, order. ARGV: after position, limit. {id, position, document} in position order. (Identity and user pools.)</summary>
    public const string ListPools = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
        local out = {}
        for i = 1, #ids, 2 do
          local doc = redis.call('HGET', KEYS[1], ids[i])
          if doc then table.insert(out, {ids[i], ids[i + 1], doc}) end
        end
        return out
        """;

    /// <summary>
    /// KEYS: alive, seq, ids, enabled, logins. ARGV: identity key prefix, batch size.
    /// Closes the pool to new identities and deletes up to a batch of its identities; once none is left, its
    /// counters and login hash. Returns the identity ids deleted by this call (empty when done).
    /// </summary>
    public const string PurgePool = """
        redis.call('DEL', KEYS[1])
        local ids = redis.call('ZRANGE', KEYS[3], 0, tonumber(ARGV[2]) - 1)
        for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
        if #ids > 0 then redis.call('ZREM', KEYS[3], unpack(ids)) end
        if redis.call('ZCARD', KEYS[3]) == 0 then redis.call('DEL', KEYS[2], KEYS[4], KEYS[5], KEYS[6]) end
        return ids
        """;

    /// <summary>
    /// KEYS: alive, seq, ids, enabled, logins, identity, guests. ARGV: id, created, modified, disabled (0/1), logins JSON,
    /// the most guests the pool may hold ('' for no limit), login fields… Returns ok, or nopool / exists / linked / full
    /// (a guest beyond the limit) without writing anything.
    /// </summary>
    public const string CreateIdentity = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 'nopool' end
        if redis.call('EXISTS', KEYS[6]) == 1 then return 'exists' end
        local guest = #ARGV == 6 and ARGV[4] == '0'
        if guest and ARGV[6] ~= '' and redis.call('SCARD', KEYS[7]) >= tonumber(ARGV[6]) then return 'full' end
        for i = 7, #ARGV do
          if redis.call('HEXISTS', KEYS[5], ARGV[i]) == 1 then return 'linked' end
        end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('HSET', KEYS[6], 'created', ARGV[2], 'modified', ARGV[3], 'disabled', ARGV[4], 'seq', seq, 'logins', ARGV[5])
        redis.call('ZADD', KEYS[3], seq, ARGV[1])
        if ARGV[4] == '0' then redis.call('ZADD', KEYS[4], seq, ARGV[1]) end
        if guest then redis.call('SADD', KEYS[7], ARGV[1]) end
        for i = 7, #ARGV do redis.call('HSET', KEYS[5], ARGV[i], ARGV[1]) end
        return 'ok'
        """;

    /// <summary>
    /// Rewrites identities of one pool (link, merge, unlink, disable) when they are still exactly as the caller read
    /// them, and the logins it links are still free; otherwise returns retry and writes nothing.
    /// KEYS: alive, logins, enabled, guests, identity keys… ARGV: n; per identity (6): id, expected logins JSON, expected
    /// disabled, new logins JSON, new disabled, modified; then f, f login fields that must be free; then a, a pairs of
    /// (login field, new owner id or '' to free it).
    /// An identity's logins JSON and the login hash always agree (every script writes both), so checking the JSON
    /// checks the ownership of every login the identity holds.
    /// </summary>
    public const string RewriteIdentities = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 'nopool' end
        local n = tonumber(ARGV[1])
        for i = 1, n do
          local b = 2 + (i - 1) * 6
          local h = redis.call('HMGET', KEYS[4 + i], 'logins', 'disabled')
          if h[1] ~= ARGV[b + 1] or h[2] ~= ARGV[b + 2] then return 'retry' end
        end
        local p = 2 + n * 6
        local f = tonumber(ARGV[p])
        for j = 1, f do
          if redis.call('HEXISTS', KEYS[2], ARGV[p + j]) == 1 then return 'retry' end
        end
        for i = 1, n do
          local b = 2 + (i - 1) * 6
          local key = KEYS[4 + i]
          redis.call('HSET', key, 'logins', ARGV[b + 3], 'disabled', ARGV[b + 4], 'modified', ARGV[b + 5])
          if ARGV[b + 4] == '0' and #cjson.decode(ARGV[b + 3]) == 0 then redis.call('SADD', KEYS[4], ARGV[b]) else redis.call('SREM', KEYS[4], ARGV[b]) end
          if ARGV[b + 4] == '1' then
            redis.call('ZREM', KEYS[3], ARGV[b])
          else
            redis.call('ZADD', KEYS[3], redis.call('HGET', key, 'seq'), ARGV[b])
          end
        end
        local q = p + f + 1
        local a = tonumber(ARGV[q])
        for j = 1, a do
          local field = ARGV[q + 2 * j - 1]
          local owner = ARGV[q + 2 * j]
          if owner == '' then redis.call('HDEL', KEYS[2], field) else redis.call('HSET', KEYS[2], field, owner) end
        end
        return 'ok'
        """;

    /// <summary>KEYS: ids, enabled, logins, identity, guests. ARGV: id. Deletes the identity and frees its logins; 1 when it existed.</summary>
    public const string DeleteIdentity = """
        local logins = redis.call('HGET', KEYS[4], 'logins')
        if not logins then return 0 end
        for _, l in ipairs(cjson.decode(logins)) do
          local field = string.len(l[1]) .. ':' .. l[1] .. l[2]
          if redis.call('HGET', KEYS[3], field) == ARGV[1] then redis.call('HDEL', KEYS[3], field) end
        end
        redis.call('DEL', KEYS[4])
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('SREM', KEYS[5], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: alive, identity. {created, modified, disabled, logins}, or nil when the pool or identity is missing.</summary>
    public const string ReadIdentity = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        local h = redis.call('HMGET', KEYS[2], 'created', 'modified', 'disabled', 'logins')
        if not h[4] then return false end
        return h
        """;

    /// <summary>
    /// KEYS: the identity's id-index entry. ARGV: pool key head, pool key tail (<see cref="RedisKeys.PoolSlotPattern"/>),
    /// identity id. {pool id, created, modified, disabled, logins}, or nil when the index, the pool or the identity is
    /// missing. The pool's keys are on another slot than the index, so this runs only on a single Redis node (never on a
    /// Cluster, where the index and then <see cref="ReadIdentity"/> are two round trips).
    /// </summary>
    public const string ReadIndexedIdentity = """
        local pool = redis.call('GET', KEYS[1])
        if not pool then return false end
        local p = ARGV[1] .. pool .. ARGV[2]
        if redis.call('EXISTS', p .. 'alive') == 0 then return false end
        local h = redis.call('HMGET', p .. 'identity:' .. ARGV[3], 'created', 'modified', 'disabled', 'logins')
        if not h[4] then return false end
        return {pool, h[1], h[2], h[3], h[4]}
        """;

    /// <summary>
    /// KEYS: the pool's ids or enabled set. ARGV: identity key prefix, after position, limit.
    /// {id, position, created, modified, disabled, logins} in position order.
    /// </summary>
    public const string ListIdentities = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
        local out = {}
        for i = 1, #ids, 2 do
          local h = redis.call('HMGET', ARGV[1] .. ids[i], 'created', 'modified', 'disabled', 'logins')
          if h[4] then table.insert(out, {ids[i], ids[i + 1], h[1], h[2], h[3], h[4]}) end
        end
        return out
        """;

    /// <summary>KEYS: key-id index, purpose hash. ARGV: key id, purpose, value. 1 when added; 0 when the id exists.</summary>
    public const string AddKey = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    /// <summary>
    /// KEYS: uses hash, retention set. ARGV: key, encoded use, retain-until (Unix ms), now (Unix ms).
    /// Forgets up to 100 records retained until before now, then returns the live earlier record of the key, or
    /// records the use and returns nil. A record past its retention is replaced even when not yet forgotten.
    /// </summary>
    public const string RecordAssertionUse = """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4], 'LIMIT', 0, 100)
        if #expired > 0 then
          redis.call('HDEL', KEYS[1], unpack(expired))
          redis.call('ZREM', KEYS[2], unpack(expired))
        end
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if existing then
          local retain = redis.call('ZSCORE', KEYS[2], ARGV[1])
          if retain and tonumber(retain) >= tonumber(ARGV[4]) then return existing end
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        return false
        """;
}
