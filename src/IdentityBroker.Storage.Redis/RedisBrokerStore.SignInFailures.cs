using System.Globalization;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// On the pool's <c>{userpool:&lt;id&gt;}</c> slot: a hash of name key to <c>expires|state</c> and a sorted set by expiry,
/// like the one-time codes; a replacement is one script that forgets a bounded batch of expired records, then compares and
/// sets. The clock is the caller's.
/// </remarks>
public sealed partial class RedisBrokerStore : ISignInFailureStore
{
    public Task<SignInFailures> GetSignInFailuresAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var value = (string?)await Db.HashGetAsync(keys.SignInFailures, key).ConfigureAwait(false);
            var split = value?.IndexOf('|', StringComparison.Ordinal) ?? -1;
            return split > 0 && long.Parse(value![..split], CultureInfo.InvariantCulture) > now.ToUnixTimeMilliseconds()
                ? SignInFailureText.Decode(value[(split + 1)..])
                : SignInFailures.None;
        });
    }

    public Task<bool> ReplaceSignInFailuresAsync(
        string userPoolId, string key, SignInFailures expected, SignInFailures next, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            SignInFailureScripts.Replace,
            [keys.SignInFailures, keys.SignInFailureExpiry],
            [key, SignInFailureText.Encode(expected), SignInFailureText.Encode(next), expiresAt.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()])
            .ConfigureAwait(false) == 1);
    }
}

internal static class SignInFailureScripts
{
    /// <summary>
    /// KEYS: records, expiry. ARGV: key, expected state ('' for none), next state, expires (ms), now (ms). Forgets up to 100
    /// records expired by now, then stores the next state when the current one (a missing record is '') is the expected: 1.
    /// </summary>
    public const string Replace = """
        local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5], 'LIMIT', 0, 100)
        for _, k in ipairs(old) do redis.call('HDEL', KEYS[1], k) end
        if #old > 0 then redis.call('ZREM', KEYS[2], unpack(old)) end
        local v = redis.call('HGET', KEYS[1], ARGV[1])
        local current = ''
        if v then current = string.match(v, '^%d+|(.*)$') or '' end
        if current ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. '|' .. ARGV[3])
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        return 1
        """;
}
