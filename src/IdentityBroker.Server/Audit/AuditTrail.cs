using System.Threading.Channels;
using IdentityBroker.Audit;
using IdentityBroker.Observability;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// A completed call on its way to the store, with its event time; its record is built by the writer. <see cref="Durable"/>
/// is set for a credential issuance, whose reply waits for it.
/// </summary>
internal sealed record PendingAudit(CallCompleted Call, DateTimeOffset EventTime, TaskCompletionSource? Durable);

/// <summary>
/// The audit trail's call observer: queues each recorded call, with its time, for <see cref="AuditWriter"/>, which builds the
/// CloudTrail records and writes them in batches off the request's thread. The reply of a
/// credential issuance waits for its record's batch to be durable (<see cref="CallDetails.ReplyHold"/>), so a broker killed
/// at any moment has recorded every issuance it acknowledged; other records are not waited for.
/// </summary>
internal sealed partial class AuditTrail : ICallObserver
{
    private readonly Channel<PendingAudit> _queue;
    private readonly AuditEventBuilder _builder;
    private readonly TimeProvider _time;
    private readonly LogThrottle _dropLog;
    private readonly ILogger<AuditTrail> _logger;
    private long _dropped;

    public AuditTrail(IOptions<AuditOptions> options, IOptions<BrokerOptions> broker, TimeProvider time, ILogger<AuditTrail> logger)
    {
        _queue = Channel.CreateBounded<PendingAudit>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _builder = new AuditEventBuilder(broker.Value.Region, broker.Value.AccountId);
        _time = time;
        _dropLog = new LogThrottle(time);
        _logger = logger;
    }

    public bool WantsDetails => true;

    public ChannelReader<PendingAudit> Reader => _queue.Reader;

    /// <summary>The call's CloudTrail record (on the writer's thread).</summary>
    public AuditRecord Build(PendingAudit pending) =>
        _builder.Build(pending.Call, AuditEventId.New(pending.EventTime), pending.EventTime)
        ?? throw new InvalidOperationException("Only recorded calls are queued.");

    /// <summary>How many records were dropped because the queue was full (none of them an issuance).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Operations that hand out credentials or tokens: their reply waits for their record.</summary>
    public static bool IsIssuance(string operation) =>
        operation is "GetCredentialsForIdentity" or "GetOpenIdToken" or "GetOpenIdTokenForDeveloperIdentity"
            or "AssumeRoleWithWebIdentity" or "AssumeRole" or "AssumeRoleWithSAML" or "GetSessionToken" or "GetFederationToken";

    public void OnCallCompleted(in CallCompleted call)
    {
        if (!AuditEventBuilder.Records(in call))
        {
            return;
        }

        var durable = call.ErrorType is null && IsIssuance(call.Operation) ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        if (_queue.Writer.TryWrite(new PendingAudit(call, _time.GetUtcNow(), durable)))
        {
            if (durable is not null)
            {
                call.Details!.ReplyHold = durable.Task;
            }

            return;
        }

        if (durable is not null)
        {
            // Full: the issuance is refused (retryable 503) rather than acknowledged without its record.
            call.Details!.ReplyHold = Task.FromException(new InvalidOperationException("The audit queue is full."));
            return;
        }

        Interlocked.Increment(ref _dropped);
        if (_dropLog.TryTake(out var suppressed))
        {
            LogDropped(_logger, Dropped, suppressed);
        }
    }

    /// <summary>No more records: the writer drains what is queued and stops.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    [LoggerMessage(EventId = LogEvents.AuditDropped, Level = LogLevel.Warning,
        Message = "Audit queue full: records of non-issuing calls dropped ({Dropped} so far, {Suppressed} warnings suppressed)")]
    private static partial void LogDropped(ILogger logger, long dropped, int suppressed);
}
