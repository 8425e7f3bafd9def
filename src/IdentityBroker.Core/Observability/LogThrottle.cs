namespace IdentityBroker.Observability;

/// <summary>
/// At most one log line per <see cref="Interval"/> for one kind of repeated event, so that an outage or a misbehaving
/// client under load does not turn every request into a log line: the first event is logged at once, and each later line
/// carries the number of events counted but not logged since the line before. Thread-safe.
/// </summary>
public sealed class LogThrottle(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _nextLineAt = long.MinValue;
    private int _suppressed;

    /// <summary>Counts one event. True when it is to be logged now; <paramref name="suppressed"/> is then the number left out since the last line.</summary>
    public bool TryTake(out int suppressed)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (now < _nextLineAt)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = _suppressed;
            _suppressed = 0;
            _nextLineAt = now + (long)(Interval.TotalSeconds * time.TimestampFrequency);
            return true;
        }
    }
}
