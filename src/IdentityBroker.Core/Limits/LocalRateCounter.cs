using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace IdentityBroker.Limits;

/// <summary>
/// The one-node counters (SQLite store): one <see cref="FixedWindowRateLimiter"/> per key and window. Windows are cut by the
/// broker's clock (the caller's <see cref="TimeProvider"/>) (a new limiter per window, never replenished: with no automatic replenishment it holds no timer, so nothing to dispose), so tests drive them with a fake clock;
/// the limiter does the counting. Keys of past windows are dropped when a later window is first seen.
/// </summary>
public sealed class LocalRateCounter : IRateCounter
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _newestMinute;

    public ValueTask<TimeSpan?> TryCountAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var index = RateWindows.Index(now, window);
        ForgetPast(now);
        var current = _windows.AddOrUpdate(
            key,
            static (_, a) => new Window(a.index, a.limit, a.window),
            static (_, existing, a) => existing.Index == a.index ? existing : new Window(a.index, a.limit, a.window),
            (index, limit, window));
        using var lease = current.Limiter.AttemptAcquire();
        return ValueTask.FromResult(lease.IsAcquired ? (TimeSpan?)null : RateWindows.Remaining(now, window, index));
    }

    /// <summary>At most once a minute: windows are a minute at most, so a key not counted in the last two minutes is done.</summary>
    private void ForgetPast(DateTimeOffset now)
    {
        var minute = now.ToUnixTimeMilliseconds() / 60_000;
        var seen = Interlocked.Read(ref _newestMinute);
        if (minute <= seen || Interlocked.CompareExchange(ref _newestMinute, minute, seen) != seen)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (window.EndsBefore(now.AddMinutes(-1)))
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    private sealed class Window
    {
        public Window(long index, int limit, TimeSpan length)
        {
            Index = index;
            Length = length;
            Limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = length,
                QueueLimit = 0,
                AutoReplenishment = false,
            });
        }

        public long Index { get; }

        public TimeSpan Length { get; }

        public FixedWindowRateLimiter Limiter { get; }

        public bool EndsBefore(DateTimeOffset instant) =>
            DateTimeOffset.FromUnixTimeMilliseconds((Index + 1) * (long)Length.TotalMilliseconds) < instant;
    }
}
