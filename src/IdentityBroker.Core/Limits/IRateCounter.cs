namespace IdentityBroker.Limits;

/// <summary>
/// Fixed-window request counters, the seam between the limits and where they are counted: in this process for the SQLite
/// store (one node, <see cref="LocalRateCounter"/>), in Redis for the Redis store, so that a limit holds across replicas.
/// </summary>
public interface IRateCounter
{
    /// <summary>
    /// Counts one request against <paramref name="key"/> in the window of <paramref name="now"/> (the broker's clock) of <paramref name="window"/> (windows start at
    /// multiples of it since the Unix epoch, so replicas agree): null when it is within <paramref name="limit"/>, else how long
    /// until the window ends.
    /// </summary>
    ValueTask<TimeSpan?> TryCountAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The window arithmetic both counters share.</summary>
public static class RateWindows
{
    public static long Index(DateTimeOffset now, TimeSpan window) => now.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;

    public static TimeSpan Remaining(DateTimeOffset now, TimeSpan window, long index) =>
        DateTimeOffset.FromUnixTimeMilliseconds((index + 1) * (long)window.TotalMilliseconds) - now;
}
