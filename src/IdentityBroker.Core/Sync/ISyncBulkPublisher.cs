using IdentityBroker.Errors;

namespace IdentityBroker.Sync;

/// <summary>Cognito Sync's bulk publish states; the wire names are NOT_STARTED, IN_PROGRESS, FAILED, SUCCEEDED.</summary>
public enum BulkPublishStatus
{
    NotStarted,
    InProgress,
    Failed,
    Succeeded,
}

/// <summary>GetBulkPublishDetails' answer; the times are null until the publish started or completed.</summary>
public sealed record BulkPublishDetails(
    string IdentityPoolId,
    BulkPublishStatus Status,
    DateTimeOffset? StartTime,
    DateTimeOffset? CompleteTime,
    string? FailureMessage);

/// <summary>
/// Publishes all of a pool's existing datasets to its sync stream (BulkPublish) and reports progress
/// (GetBulkPublishDetails). The edge has already authorized the caller and checked the pool exists; the publisher refuses
/// with DuplicateRequestException (a publish is running), AlreadyStreamedException (once per pool, as AWS) or
/// InvalidParameterException (streams not configured).
/// </summary>
public interface ISyncBulkPublisher
{
    ValueTask<Result<Unit>> StartAsync(string identityPoolId, CancellationToken cancellationToken);

    ValueTask<Result<BulkPublishDetails>> GetDetailsAsync(string identityPoolId, CancellationToken cancellationToken);
}
