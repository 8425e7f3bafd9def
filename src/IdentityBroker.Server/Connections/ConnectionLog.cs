using System.Net.Sockets;
using IdentityBroker.Observability;
using IdentityBroker.Server.Hosting;

namespace IdentityBroker.Server.Connections;

/// <summary>
/// The log of refused connections and failed accepts: the first is logged at once, then at most one line per
/// <see cref="Interval"/> with the number since, so that a connection flood or descriptor exhaustion cannot flood the log.
/// </summary>
internal sealed partial class ConnectionLog(TimeProvider time, ILogger<ConnectionLog> logger)
{
    public static readonly TimeSpan Interval = LogThrottle.Interval;

    private readonly LogThrottle _refused = new(time);
    private readonly LogThrottle _madeRoom = new(time);
    private readonly LogThrottle _acceptFailed = new(time);

    public void Refused(long limit)
    {
        if (_refused.TryTake(out var suppressed))
        {
            LogRefused(logger, limit, suppressed);
        }
    }

    public void MadeRoom(long limit)
    {
        if (_madeRoom.TryTake(out var suppressed))
        {
            LogMadeRoom(logger, limit, UnstartedConnections.GracePeriod.TotalSeconds, suppressed);
        }
    }

    public void AcceptFailed(SocketError error, TimeSpan retryIn)
    {
        if (_acceptFailed.TryTake(out var suppressed))
        {
            LogAcceptFailed(logger, error, (long)retryIn.TotalMilliseconds, suppressed);
        }
    }

    public void Limits(ConnectionBudget budget, long maxConnections, bool derived) =>
        LogLimits(logger, budget.DescriptorLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown on this OS",
            budget.OpenAtStart, maxConnections, derived ? "derived from the descriptor limit" : "Broker:Http:MaxConcurrentConnections");

    [LoggerMessage(EventId = LogEvents.ConnectionLimits, Level = LogLevel.Information,
        Message = "File-descriptor limit {DescriptorLimit} ({OpenAtStart} open at start): at most {MaxConnections} concurrent connections ({Source})")]
    private static partial void LogLimits(ILogger logger, string descriptorLimit, long openAtStart, long maxConnections, string source);

    [LoggerMessage(EventId = LogEvents.ConnectionRefused, Level = LogLevel.Warning,
        Message = "Connection refused: {Limit} connections are open (Broker:Http:MaxConcurrentConnections); {Suppressed} more refused since the last line")]
    private static partial void LogRefused(ILogger logger, long limit, int suppressed);

    [LoggerMessage(EventId = LogEvents.IdleConnectionClosed, Level = LogLevel.Warning,
        Message = "{Limit} connections are open (Broker:Http:MaxConcurrentConnections): closed the oldest connection silent for {GraceSeconds} s (no request yet, or kept alive) to admit a new one; {Suppressed} more since the last line")]
    private static partial void LogMadeRoom(ILogger logger, long limit, double graceSeconds, int suppressed);

    [LoggerMessage(EventId = LogEvents.AcceptFailed, Level = LogLevel.Error,
        Message = "Accepting connections failed ({Error}); retrying in {RetryMs} ms, {Suppressed} more failures since the last line")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error, long retryMs, int suppressed);
}
