using System.Globalization;
using IdentityBroker.UserPools.Codes;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// A pool's codes live on its <c>{userpool:&lt;id&gt;}</c> slot: a hash of codes, a hash of attempts left and a sorted set by
/// expiry, each call one script (<see cref="CodeScripts"/>), so counting attempts and consuming are atomic. The clock is
/// the caller's, as for the SAML replay records.
/// </remarks>
public sealed partial class RedisBrokerStore : IOneTimeCodeStore
{
    public Task PutCodeAsync(string userPoolId, StoredCode code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var keys = _keys.UserPool(userPoolId);
        var value = string.Join('|', code.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), code.CodeId,
            Convert.ToHexString(code.Salt), Convert.ToHexString(code.Hash));
        return GuardAsync(() => Db.ScriptEvaluateAsync(
            CodeScripts.Put,
            [keys.Codes, keys.CodeAttempts, keys.CodeExpiry],
            [code.Key, value, code.ExpiresAt.ToUnixTimeMilliseconds(), code.AttemptsLeft, now.ToUnixTimeMilliseconds()]));
    }

    public Task<CodeAttempt> TakeCodeAttemptAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
                CodeScripts.TakeAttempt, [keys.Codes, keys.CodeAttempts], [key, now.ToUnixTimeMilliseconds()]).ConfigureAwait(false))!;
            return (string?)reply[0] switch
            {
                "taken" => new CodeAttempt(CodeAttemptStatus.Taken, Decode(key, (string)reply[1]!, (int)reply[2])),
                "expired" => new CodeAttempt(CodeAttemptStatus.Expired, null),
                "exhausted" => new CodeAttempt(CodeAttemptStatus.Exhausted, null),
                _ => new CodeAttempt(CodeAttemptStatus.Missing, null),
            };
        });
    }

    public Task<bool> ConsumeCodeAsync(string userPoolId, string key, string codeId, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            CodeScripts.Delete, [keys.Codes, keys.CodeAttempts, keys.CodeExpiry], [key, codeId]).ConfigureAwait(false) == 1);
    }

    public Task DeleteCodeAsync(string userPoolId, string key, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(() => Db.ScriptEvaluateAsync(CodeScripts.Delete, [keys.Codes, keys.CodeAttempts, keys.CodeExpiry], [key, string.Empty]));
    }

    private static StoredCode Decode(string key, string value, int attemptsLeft)
    {
        var parts = value.Split('|');
        return new StoredCode(key, parts[1], Convert.FromHexString(parts[2]), Convert.FromHexString(parts[3]),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[0], CultureInfo.InvariantCulture)), attemptsLeft);
    }
}

/// <summary>The one-time code scripts (KEYS on one user pool's slot). Checks come before writes.</summary>
internal static class CodeScripts
{
    /// <summary>
    /// KEYS: codes, attempts, expiry. ARGV: key, value, expires (ms), attempts, now (ms). Forgets a bounded batch of codes
    /// expired before now, then stores (replacing) the code.
    /// </summary>
    public const string Put = """
        local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[5], 'LIMIT', 0, 100)
        for _, k in ipairs(old) do redis.call('HDEL', KEYS[1], k) redis.call('HDEL', KEYS[2], k) end
        if #old > 0 then redis.call('ZREM', KEYS[3], unpack(old)) end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: codes, attempts. ARGV: key, now (ms). {'missing'}, {'expired'}, {'exhausted'}, or {'taken', value, attempts
    /// left before this one} after counting the attempt.
    /// </summary>
    public const string TakeAttempt = """
        local v = redis.call('HGET', KEYS[1], ARGV[1])
        if not v then return {'missing'} end
        local expires = tonumber(string.match(v, '^(%d+)|'))
        if expires <= tonumber(ARGV[2]) then return {'expired'} end
        local left = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
        if left <= 0 then return {'exhausted'} end
        redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
        return {'taken', v, left}
        """;

    /// <summary>
    /// KEYS: codes, attempts, expiry. ARGV: key, code id (empty: any). Deletes the code if it is that code: 1 when deleted.
    /// </summary>
    public const string Delete = """
        local v = redis.call('HGET', KEYS[1], ARGV[1])
        if not v then return 0 end
        if ARGV[2] ~= '' and string.match(v, '^%d+|([^|]*)|') ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        return 1
        """;
}
