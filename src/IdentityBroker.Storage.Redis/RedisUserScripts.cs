namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The Lua scripts of the users of a user pool, all on the pool's <c>{userpool:&lt;id&gt;}</c> slot. Each checks
/// everything before its first write, so a refused write changes nothing; the key claims and the user's document are
/// written by the same script, so two users never hold one key.
/// </summary>
internal static class RedisUserScripts
{
    /// <summary>Frees the keys listed in the claims hash for ARGV[1] that it still holds (claims KEYS[c], keys KEYS[k]).</summary>
    private const string ReleaseClaims = """
        local function release(claims, keys, sub)
          local old = redis.call('HGET', claims, sub)
          if not old then return end
          for _, k in ipairs(cjson.decode(old)) do
            if redis.call('HGET', keys, k) == sub then redis.call('HDEL', keys, k) end
          end
        end
        """;

    /// <summary>
    /// KEYS: alive, docs, order, seq, keys, claims, versions. ARGV: sub, document, claims JSON, key… Returns {ok},
    /// {nopool}, {exists} or {taken, key}.
    /// </summary>
    public const string CreateUser = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'nopool'} end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'exists'} end
        for i = 4, #ARGV do
          if redis.call('HEXISTS', KEYS[5], ARGV[i]) == 1 then return {'taken', ARGV[i]} end
        end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
        for i = 4, #ARGV do redis.call('HSET', KEYS[5], ARGV[i], ARGV[1]) end
        redis.call('HSET', KEYS[6], ARGV[1], ARGV[3])
        redis.call('HSET', KEYS[7], ARGV[1], '1')
        return {'ok'}
        """;

    /// <summary>
    /// KEYS: docs, keys, claims, versions. ARGV: sub, expected version, document (at the next version), claims JSON,
    /// key… Returns {ok}, {missing}, {stale} or {taken, key}.
    /// </summary>
    public const string UpdateUser = ReleaseClaims + "\n" + """
        local v = redis.call('HGET', KEYS[4], ARGV[1])
        if not v then return {'missing'} end
        if v ~= ARGV[2] then return {'stale'} end
        for i = 5, #ARGV do
          local owner = redis.call('HGET', KEYS[2], ARGV[i])
          if owner and owner ~= ARGV[1] then return {'taken', ARGV[i]} end
        end
        release(KEYS[3], KEYS[2], ARGV[1])
        for i = 5, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], ARGV[1]) end
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        redis.call('HSET', KEYS[4], ARGV[1], tostring(tonumber(ARGV[2]) + 1))
        return {'ok'}
        """;

    /// <summary>KEYS: docs, order, keys, claims, versions. ARGV: sub. 1 when the user existed.</summary>
    public const string DeleteUser = ReleaseClaims + "\n" + """
        release(KEYS[4], KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('HDEL', KEYS[5], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return redis.call('HDEL', KEYS[1], ARGV[1])
        """;

    /// <summary>KEYS: keys, docs. ARGV: key. The document of the user holding the key, or nil.</summary>
    public const string FindUser = """
        local sub = redis.call('HGET', KEYS[1], ARGV[1])
        if not sub then return nil end
        return redis.call('HGET', KEYS[2], sub)
        """;
}
