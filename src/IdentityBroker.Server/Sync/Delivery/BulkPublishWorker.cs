using IdentityBroker.Observability;
using IdentityBroker.Storage;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Server.Sync.Delivery;

/// <summary>
/// Runs the bulk publishes: each one just started (<see cref="SyncBulkPublisher.Started"/>), and every IN_PROGRESS one at
/// start-up and each <see cref="SweepInterval"/> (a publish an earlier process left, or one a store outage paused). A
/// publish appends <see cref="PageSize"/> datasets per store transaction; an outage leaves it IN_PROGRESS at its cursor.
/// </summary>
internal sealed partial class BulkPublishWorker(
    SyncBulkPublisher publisher, ISyncBulkPublishStore store, ISyncStore sync, TimeProvider time, ILogger<BulkPublishWorker> logger) : BackgroundService
{
    internal const int PageSize = 100;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweep = SweepLoopAsync(stoppingToken);
        try
        {
            await foreach (var poolId in publisher.Started.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunAsync(poolId, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the publish stays IN_PROGRESS at its cursor and resumes at the next start.
        }

        await sweep.ConfigureAwait(false);
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(SweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<BulkPublishJob> running;
        try
        {
            running = await store.ListRunningBulkPublishesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            LogFailed(logger, "*", e.Message);
            return;
        }

        foreach (var job in running)
        {
            await RunAsync(job.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes the pool from its cursor to the end; a second runner of the same publish stops at its first stale page.</summary>
    internal async Task RunAsync(string poolId, CancellationToken cancellationToken)
    {
        try
        {
            var job = await store.GetBulkPublishAsync(poolId, cancellationToken).ConfigureAwait(false);
            var cursor = job?.Cursor;
            var published = job?.PublishedDatasets ?? 0;
            if (job is { Status: BulkPublishStatus.InProgress }
                && (await sync.GetSyncSettingsAsync(poolId, cancellationToken).ConfigureAwait(false))?.Streaming != true)
            {
                await FailAsync(poolId, "Cognito Streams were disabled during the bulk publish.", cancellationToken).ConfigureAwait(false);
                return;
            }

            while (job is { Status: BulkPublishStatus.InProgress })
            {
                var page = await store.ReadSyncSnapshotAsync(poolId, cursor, PageSize, cancellationToken).ConfigureAwait(false);
                if (page.Datasets.Count > 0 || page.Cursor != cursor)
                {
                    if (!await store.AppendBulkPublishAsync(poolId, cursor, page, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    cursor = page.Cursor;
                    published += page.Datasets.Count;
                }

                if (page.IsLast)
                {
                    if (await store.FinishBulkPublishAsync(poolId, BulkPublishStatus.Succeeded, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                    {
                        LogFinished(logger, poolId, published);
                    }

                    return;
                }
            }
        }
        catch (StoreUnavailableException e)
        {
            LogFailed(logger, poolId, e.Message);
        }
        catch (InvalidNextTokenException)
        {
            await FailAsync(poolId, "The bulk publish's progress could not be read.", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(string poolId, string message, CancellationToken cancellationToken)
    {
        if (await store.FinishBulkPublishAsync(poolId, BulkPublishStatus.Failed, message, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            LogEnded(logger, poolId, message);
        }
    }

    [LoggerMessage(EventId = LogEvents.SyncBulkPublishFinished, Level = LogLevel.Information,
        Message = "Bulk publish of identity pool {IdentityPoolId} succeeded ({Datasets} datasets)")]
    private static partial void LogFinished(ILogger logger, string identityPoolId, long datasets);

    [LoggerMessage(EventId = LogEvents.SyncBulkPublishEnded, Level = LogLevel.Warning,
        Message = "Bulk publish of identity pool {IdentityPoolId} failed: {Reason}")]
    private static partial void LogEnded(ILogger logger, string identityPoolId, string reason);

    [LoggerMessage(EventId = LogEvents.SyncBulkPublishFailed, Level = LogLevel.Warning,
        Message = "Bulk publish of identity pool {IdentityPoolId} paused, it resumes later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string identityPoolId, string reason);
}
