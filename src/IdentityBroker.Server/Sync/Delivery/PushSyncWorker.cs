using IdentityBroker.Observability;
using IdentityBroker.Storage;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Server.Sync.Delivery;

/// <summary>
/// Drains <see cref="PushSyncQueue"/> with a few concurrent readers (one slow webhook does not hold every notification):
/// for each change, the identity's devices subscribed to the dataset except the writer's (its DeviceId) are notified
/// through their platform's webhook. Failures are logged with the platform and device id, throttled; never the token.
/// </summary>
internal sealed partial class PushSyncWorker(
    PushSyncQueue queue, ISyncStore store, PushWebhookSender sender, TimeProvider time, ILogger<PushSyncWorker> logger)
    : BackgroundService
{
    private const int Readers = 4;
    private readonly LogThrottle _failureLog = new(time);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Readers).Select(_ => ReadLoopAsync(stoppingToken)));

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await NotifyAsync(change, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a silent push not sent only means the device syncs at its next own sync.
        }
    }

    /// <summary>Notifies the change's other subscribed devices; never throws but for cancellation.</summary>
    internal async Task NotifyAsync(SyncChange change, CancellationToken cancellationToken)
    {
        IReadOnlyList<SyncDevice> targets;
        try
        {
            targets = await store.ListSubscribersAsync(change.IdentityPoolId, change.IdentityId, change.DatasetName, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            if (_failureLog.TryTake(out var suppressed))
            {
                LogLookupFailed(logger, e.Message, suppressed);
            }

            return;
        }

        var notice = PushSyncNotice.From(change);
        await Task.WhenAll(targets
            .Where(t => !string.Equals(t.DeviceId, change.DeviceId, StringComparison.Ordinal) && sender.Handles(t.Platform))
            .Select(t => SendAsync(t, notice, cancellationToken))).ConfigureAwait(false);
    }

    private async Task SendAsync(SyncDevice target, PushSyncNotice notice, CancellationToken cancellationToken)
    {
        var failure = await sender.SendAsync(target, notice, cancellationToken).ConfigureAwait(false);
        if (failure is not null && _failureLog.TryTake(out var suppressed))
        {
            LogFailed(logger, target.Platform, target.DeviceId, failure, suppressed);
        }
    }

    [LoggerMessage(EventId = LogEvents.SyncPushFailed, Level = LogLevel.Warning,
        Message = "Push sync to {Platform} device {DeviceId} failed: {Reason} ({Suppressed} suppressed)")]
    private static partial void LogFailed(ILogger logger, string platform, string deviceId, string reason, int suppressed);

    [LoggerMessage(EventId = LogEvents.SyncPushLookupFailed, Level = LogLevel.Warning,
        Message = "Push sync could not read the subscribed devices: {Reason} ({Suppressed} suppressed)")]
    private static partial void LogLookupFailed(ILogger logger, string reason, int suppressed);
}
