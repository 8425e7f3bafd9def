using IdentityBroker.Audit;
using IdentityBroker.Observability;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// Drains <see cref="AuditTrail"/>'s queue: builds the records of up to <see cref="AuditOptions.BatchSize"/> calls and writes
/// them in one store write (one SQLite transaction; one Redis script), then the optional JSON-lines file, then the waiting issuances are answered. Removes the
/// events past retention every hour. On shutdown it writes what is queued before stopping.
/// </summary>
internal sealed partial class AuditWriter(
    AuditTrail trail, IAuditStore store, AuditFileSink file, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditWriter> logger)
    : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>How many times <see cref="GatherAsync"/> yields before a batch (measured in docs/performance.md, "Audit trail").</summary>
    private const int GatherYields = 2;
    private readonly LogThrottle _failureLog = new(time);
    private readonly List<PendingAudit> _batch = new(options.Value.BatchSize);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prune = PruneLoopAsync(stoppingToken);
        try
        {
            while (await trail.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await GatherAsync().ConfigureAwait(false);
                await LingerAsync(stoppingToken).ConfigureAwait(false);
                await WriteBatchAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is queued is still written below.
        }

        trail.Complete();
        while (trail.Reader.TryPeek(out _))
        {
            await WriteBatchAsync().ConfigureAwait(false);
        }

        await prune.ConfigureAwait(false);
    }

    /// <summary>
    /// Before a batch, lets the calls already running on the thread pool queue their records into it: the writer yields its
    /// thread (to the back of the pool's queue) up to <see cref="GatherYields"/> times, while the batch is not full. Why: under
    /// load the writer woke for every few records, and each batch pays a fixed cost (a SQLite transaction with its WAL pages
    /// and file locks, or a Redis round trip, and the thread hand-offs around it) that a bigger batch shares out. A yield costs
    /// no timer and no clock: when nothing else is queued the writer runs again at once, so an idle broker adds no delay.
    /// </summary>
    private async Task GatherAsync()
    {
        for (var i = 0; i < GatherYields && trail.Reader.Count < options.Value.BatchSize; i++)
        {
            await Task.Yield();
        }
    }

    /// <summary>
    /// Before a batch of records nobody waits for (no issuance queued, less than a batch queued), waits up to
    /// <see cref="AuditOptions.FlushMilliseconds"/> for more to join it, and stops waiting the moment an issuance is queued.
    /// Why: a call that issues nothing (GetUser, GetId, ListUsers…) is answered without waiting for its record, so its record
    /// gains nothing by being written at once, while every store write pays a fixed cost (a transaction, the WAL pages of the
    /// table's and indexes' last leaves, rewritten by every commit, and the thread hand-offs around it) that a fuller batch
    /// shares out. A clean shutdown still writes everything queued (<see cref="ExecuteAsync"/>); what a killed broker can lose
    /// is at most this long of such records (docs/audit.md, "Off the hot path").
    /// </summary>
    private async Task LingerAsync(CancellationToken stoppingToken)
    {
        if (options.Value.FlushMilliseconds == 0 || stoppingToken.IsCancellationRequested || trail.Reader.Count >= options.Value.BatchSize)
        {
            return;
        }

        var issuance = trail.WaitForIssuanceAsync();
        if (!issuance.IsCompleted)
        {
            await Task.WhenAny(issuance, Task.Delay(TimeSpan.FromMilliseconds(options.Value.FlushMilliseconds), time, stoppingToken)).ConfigureAwait(false);
        }
    }

    /// <summary>One batch; a failure answers its waiting issuances with the failure (they are refused) and is logged, throttled.</summary>
    internal async Task WriteBatchAsync()
    {
        _batch.Clear();
        while (_batch.Count < options.Value.BatchSize && trail.Reader.TryRead(out var pending))
        {
            _batch.Add(pending);
        }

        if (_batch.Count == 0)
        {
            return;
        }

        trail.Taken(_batch);

        var records = _batch.ConvertAll(trail.Build);
        try
        {
            if (options.Value.TestWriteDelayMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.TestWriteDelayMilliseconds), time).ConfigureAwait(false);
            }

            await store.AppendAuditAsync(records, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or TimeoutException or IOException)
        {
            foreach (var pending in _batch)
            {
                pending.Durable?.TrySetException(new StoreUnavailableException("The audit trail could not be written: " + e.Message));
            }

            if (_failureLog.TryTake(out var suppressed))
            {
                LogWriteFailed(logger, _batch.Count, e.Message, suppressed);
            }

            return;
        }

        file.Append(records);
        foreach (var pending in _batch)
        {
            pending.Durable?.TrySetResult();
        }
    }

    private async Task PruneLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await PruneAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(PruneInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    internal async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await store.PruneAuditAsync(time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays), cancellationToken).ConfigureAwait(false);
            if (removed > 0)
            {
                LogPruned(logger, removed, options.Value.RetentionDays);
            }
        }
        catch (StoreUnavailableException e)
        {
            LogWriteFailed(logger, 0, e.Message, 0);
        }
    }

    [LoggerMessage(EventId = LogEvents.AuditWriteFailed, Level = LogLevel.Warning,
        Message = "Audit trail write failed ({Count} records; issuances among them were refused): {Reason} ({Suppressed} suppressed)")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason, int suppressed);

    [LoggerMessage(EventId = LogEvents.AuditPruned, Level = LogLevel.Information, Message = "Audit trail: {Removed} events older than {Days} days removed")]
    private static partial void LogPruned(ILogger logger, long removed, int days);
}
