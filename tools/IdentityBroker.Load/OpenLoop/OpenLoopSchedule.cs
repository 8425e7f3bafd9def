namespace IdentityBroker.Load.OpenLoop;

/// <summary>
/// When each request of an open-loop run is due: request i at start + i / rate, fixed before the run begins and never
/// moved by how fast the server answers, so that a slow reply delays no later request (no coordinated omission).
/// </summary>
public sealed class OpenLoopSchedule
{
    public OpenLoopSchedule(double ratePerSecond, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        RatePerSecond = ratePerSecond;
        Count = Math.Max(1, (int)Math.Floor(ratePerSecond * duration.TotalSeconds));
    }

    public double RatePerSecond { get; }

    /// <summary>How many requests the run sends: rate × duration.</summary>
    public int Count { get; }

    /// <summary>Offset from the start at which request <paramref name="index"/> is due.</summary>
    public TimeSpan DueAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return TimeSpan.FromTicks((long)Math.Round(index * TimeSpan.TicksPerSecond / RatePerSecond));
    }

    /// <summary>How many requests are due at or before <paramref name="elapsed"/> (all of them once the run's time is up).</summary>
    public int DueBy(TimeSpan elapsed)
    {
        // An estimate from the rate, then corrected against DueAt itself so that the two never disagree by a rounding.
        var due = (int)Math.Clamp(Math.Floor(elapsed.Ticks * RatePerSecond / TimeSpan.TicksPerSecond) + 1, 0, Count);
        while (due < Count && DueAt(due) <= elapsed)
        {
            due++;
        }

        while (due > 0 && DueAt(due - 1) > elapsed)
        {
            due--;
        }

        return due;
    }
}
