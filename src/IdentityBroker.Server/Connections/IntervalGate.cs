namespace IdentityBroker.Server.Connections;

/// <summary>Lets one log line through per interval and counts the events it held back in between.</summary>
internal sealed class IntervalGate(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _nextLineAt = long.MinValue;
    private int _suppressed;

    /// <returns>True when a line is due now; <paramref name="suppressed"/> is the number of events since the last line.</returns>
    public bool TryPass(out int suppressed)
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
            _nextLineAt = now + (long)(interval.TotalSeconds * time.TimestampFrequency);
            return true;
        }
    }
}
