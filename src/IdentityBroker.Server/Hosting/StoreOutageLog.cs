namespace IdentityBroker.Server.Hosting;

/// <summary>
/// The log of requests refused because the shared store did not answer: the first refusal is logged at once, then at
/// most one line per <see cref="Interval"/> with the number refused since, so that an outage under load does not turn
/// every request into a log line.
/// </summary>
internal sealed partial class StoreOutageLog(TimeProvider time, ILogger<StoreOutageLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _nextLineAt = long.MinValue;
    private int _suppressed;

    public void Refused(string requestId, string reason)
    {
        var now = time.GetTimestamp();
        int suppressed;
        lock (_gate)
        {
            if (now < _nextLineAt)
            {
                _suppressed++;
                return;
            }

            suppressed = _suppressed;
            _suppressed = 0;
            _nextLineAt = now + (long)(Interval.TotalSeconds * time.TimestampFrequency);
        }

        LogStoreUnavailable(logger, requestId, reason, suppressed);
    }

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning,
        Message = "Store unavailable in request {RequestId}: {Reason} ({Suppressed} more requests refused since the last line)")]
    private static partial void LogStoreUnavailable(ILogger logger, string requestId, string reason, int suppressed);
}
