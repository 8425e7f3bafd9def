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

    /// <summary>Issuances queued and not yet taken by the writer (their replies wait).</summary>
    private int _queuedIssuances;

    /// <summary>Set by a lingering writer; the next issuance queued completes it (<see cref="WaitForIssuanceAsync"/>).</summary>
    private TaskCompletionSource? _issuanceWaiter;

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
        if (durable is not null)
        {
            // Counted before it is queued, so that a writer that finds the count at 0 after publishing its waiter is woken below.
            Interlocked.Increment(ref _queuedIssuances);
        }

        if (_queue.Writer.TryWrite(new PendingAudit(call, _time.GetUtcNow(), durable)))
        {
            if (durable is not null)
            {
                call.Details!.ReplyHold = durable.Task;
                Interlocked.Exchange(ref _issuanceWaiter, null)?.TrySetResult();
            }

            return;
        }

        if (durable is not null)
        {
            Interlocked.Decrement(ref _queuedIssuances);
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

    /// <summary>The writer took these records from the queue: the issuances among them no longer count as queued.</summary>
    public void Taken(List<PendingAudit> batch)
    {
        var issuances = 0;
        foreach (var pending in batch)
        {
            issuances += pending.Durable is null ? 0 : 1;
        }

        if (issuances > 0)
        {
            Interlocked.Add(ref _queuedIssuances, -issuances);
        }
    }

    /// <summary>
    /// Completes when an issuance is queued, at once when one already is; the writer lingers on it (with a time limit) before
    /// a batch of records nobody waits for. The waiter is published before the count is read, and an issuance is counted
    /// before it is queued and wakes the waiter after, so no issuance is queued unseen while the writer lingers.
    /// </summary>
    public Task WaitForIssuanceAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _issuanceWaiter, waiter);
        if (Volatile.Read(ref _queuedIssuances) > 0)
        {
            Interlocked.CompareExchange(ref _issuanceWaiter, null, waiter);
            return Task.CompletedTask;
        }

        return waiter.Task;
    }

    /// <summary>No more records: the writer drains what is queued and stops.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    [LoggerMessage(EventId = LogEvents.AuditDropped, Level = LogLevel.Warning,
        Message = "Audit queue full: records of non-issuing calls dropped ({Dropped} so far, {Suppressed} warnings suppressed)")]
    private static partial void LogDropped(ILogger logger, long dropped, int suppressed);
}
