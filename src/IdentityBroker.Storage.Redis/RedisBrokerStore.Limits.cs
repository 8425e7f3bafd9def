using IdentityBroker.Limits;

namespace IdentityBroker.Storage.Redis;

/// <summary>The rate limits' counters (docs/limits.md): one key per limit and window, shared by every replica.</summary>
public sealed partial class RedisBrokerStore : IRateCounter
{
    /// <summary>
    /// INCR, and on the first count PEXPIRE past the window's end, in one script: a crash between the two cannot leave a key
    /// that never expires. The window index is in the key, so replicas count into the same key for the same window.
    /// </summary>
    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    public async ValueTask<TimeSpan?> TryCountAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var index = RateWindows.Index(now, window);
        var remaining = RateWindows.Remaining(now, window, index);
        var count = await GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            CountScript,
            [_keys.RateCounter(key, index)],
            [Text((long)remaining.TotalMilliseconds + 1000)]).ConfigureAwait(false)).ConfigureAwait(false);
        return count <= limit ? null : remaining;
    }
}
