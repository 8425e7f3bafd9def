using System.Threading.Channels;
using IdentityBroker.Errors;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// BulkPublish and GetBulkPublishDetails: starting a publish is one atomic store step (one at a time per pool, at most one
/// success per <see cref="SuccessInterval"/> as AWS: DuplicateRequestException, AlreadyStreamedException); the
/// <c>BulkPublishWorker</c> then appends the pool's datasets to its stream page by page, the cursor moving in the same
/// transaction as each page, so a restarted broker resumes where it stopped and publishes nothing twice.
/// </summary>
public sealed class SyncBulkPublisher(ISyncBulkPublishStore store, ISyncStore sync, TimeProvider time) : ISyncBulkPublisher
{
    /// <summary>"Customers are limited to one successful bulk publish per 24 hours" (Cognito Sync API reference).</summary>
    public static readonly TimeSpan SuccessInterval = TimeSpan.FromHours(24);

    private readonly Channel<string> _started = Channel.CreateUnbounded<string>();

    /// <summary>Pool ids whose publish was just started: the worker wakes on them.</summary>
    public ChannelReader<string> Started => _started.Reader;

    public async ValueTask<Result<Unit>> StartAsync(string identityPoolId, CancellationToken cancellationToken)
    {
        if ((await sync.GetSyncSettingsAsync(identityPoolId, cancellationToken).ConfigureAwait(false))?.Streaming != true)
        {
            return new AwsError("InvalidParameterException", "Cognito Streams are not enabled for this identity pool (StreamingStatus is not ENABLED).");
        }

        var now = time.GetUtcNow();
        var start = await store.TryStartBulkPublishAsync(identityPoolId, now, now - SuccessInterval, cancellationToken).ConfigureAwait(false);
        switch (start)
        {
            case BulkPublishStart.AlreadyRunning:
                return new AwsError("DuplicateRequestException", $"A bulk publish is already in progress for identity pool {identityPoolId}.");
            case BulkPublishStart.AlreadyStreamed:
                return new AwsError("AlreadyStreamedException", $"Identity pool {identityPoolId} was bulk published less than 24 hours ago.");
            default:
                _started.Writer.TryWrite(identityPoolId);
                return Unit.Value;
        }
    }

    public async ValueTask<Result<BulkPublishDetails>> GetDetailsAsync(string identityPoolId, CancellationToken cancellationToken)
    {
        var job = await store.GetBulkPublishAsync(identityPoolId, cancellationToken).ConfigureAwait(false);
        return job is null
            ? new BulkPublishDetails(identityPoolId, BulkPublishStatus.NotStarted, null, null, null)
            : new BulkPublishDetails(identityPoolId, job.Status, job.StartTime, job.CompleteTime, job.FailureMessage);
    }
}
