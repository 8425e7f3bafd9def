using IdentityBroker.Observability;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// Requests the client ended, not the broker: a hang-up or reset mid-body, a body sent slower than Kestrel's
/// MinRequestBodyDataRate, broken body framing, a request aborted before its reply. These are client events, not
/// server faults: logged at debug level without a stack trace, at most once per <see cref="LogThrottle.Interval"/> with
/// the number since, so that a load generator stopping, or clients hanging up on purpose, cannot flood the log.
/// </summary>
internal sealed partial class ClientAborts(TimeProvider time, ILogger<ClientAborts> logger)
{
    private readonly LogThrottle _throttle = new(time);

    /// <summary>
    /// What reading the request body or writing the reply throws when the client, not the broker, broke the exchange:
    /// Kestrel's BadHttpRequestException (unexpected end of content, body data rate, bad chunking), a connection reset or
    /// other transport IOException, and the cancellation of an aborted request.
    /// </summary>
    public static bool IsClientEvent(Exception exception) =>
        exception is BadHttpRequestException or IOException or OperationCanceledException;

    /// <summary>Counts and logs the event, then ends the exchange the way Kestrel would have.</summary>
    public void End(HttpContext context, string requestId, Exception exception)
    {
        if (_throttle.TryTake(out var suppressed))
        {
            LogClientAbort(logger, requestId, exception.GetType().Name, exception.Message, suppressed);
        }

        if (exception is BadHttpRequestException bad && !context.Response.HasStarted)
        {
            // Kestrel's own status for the broken body (408 too slow, 400 bad framing); it closes the connection after it.
            context.Response.StatusCode = bad.StatusCode;
            return;
        }

        // Nothing can be answered. Aborting also stops Kestrel from draining the rest of a body from a reset socket, which
        // fails ("Reading is already in progress") and is logged by Kestrel as an error for every such request.
        context.Abort();
    }

    [LoggerMessage(EventId = LogEvents.ClientEndedRequest, Level = LogLevel.Debug,
        Message = "Client ended request {RequestId} early: {Kind}: {Reason} ({Suppressed} more since the last line)")]
    private static partial void LogClientAbort(ILogger logger, string requestId, string kind, string reason, int suppressed);
}
