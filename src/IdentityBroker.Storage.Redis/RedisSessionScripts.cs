namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The scripts of the user-pool sessions. A session's keys share its pool's hash tag, so each script runs on one slot;
/// session hashes and the user's index expire with the sessions (PEXPIREAT), as the contract allows.
/// </summary>
internal static class RedisSessionScripts
{
    /// <summary>
    /// KEYS: session hash, the user's index. ARGV: session id, document, revoked (0/1), expiry (Unix ms), now (Unix ms).
    /// 1 when created, 0 when the id exists. Drops the user's sessions expired by now from the index first.
    /// </summary>
    public const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
        redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'revoked', ARGV[3])
        redis.call('PEXPIREAT', KEYS[1], ARGV[4])
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
        redis.call('PEXPIREAT', KEYS[2], last[2])
        return 1
        """;

    /// <summary>
    /// Refresh-token rotation as one compare-and-set on the session's slot. KEYS: session hash. ARGV: expected current
    /// refresh-token hash, replacement document. 1 when the session is live and its current hash was the expected one (the
    /// document replaced; its expiry is kept), 0 otherwise.
    /// </summary>
    public const string ReplaceRefreshToken = """
        local fields = redis.call('HMGET', KEYS[1], 'doc', 'revoked')
        if not fields[1] or fields[2] ~= '0' then return 0 end
        if cjson.decode(fields[1])['RefreshTokenHash'] ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'doc', ARGV[2])
        return 1
        """;

    /// <summary>KEYS: session hash. 1 when the session exists (now revoked), 0 otherwise.</summary>
    public const string Revoke = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'revoked', '1')
        return 1
        """;

    /// <summary>KEYS: the user's index. ARGV: session key prefix. Revokes every live session; returns how many were live.</summary>
    public const string RevokeUser = """
        local count = 0
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
            local key = ARGV[1] .. id
            if redis.call('HGET', key, 'revoked') == '0' then
                redis.call('HSET', key, 'revoked', '1')
                count = count + 1
            end
        end
        return count
        """;
}
