using IdentityBroker.Observability;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// The log of requests refused because the shared store did not answer: the first refusal is logged at once, then at
/// most one line per <see cref="Interval"/> with the number refused since (<see cref="LogThrottle"/>).
/// </summary>
internal sealed partial class StoreOutageLog(TimeProvider time, ILogger<StoreOutageLog> logger)
{
    public static readonly TimeSpan Interval = LogThrottle.Interval;

    private readonly LogThrottle _throttle = new(time);

    public void Refused(string requestId, string reason)
    {
        if (_throttle.TryTake(out var suppressed))
        {
            LogStoreUnavailable(logger, requestId, reason, suppressed);
        }
    }

    [LoggerMessage(EventId = LogEvents.StoreUnavailable, Level = LogLevel.Warning,
        Message = "Store unavailable in request {RequestId}: {Reason} ({Suppressed} more requests refused since the last line)")]
    private static partial void LogStoreUnavailable(ILogger logger, string requestId, string reason, int suppressed);
}
