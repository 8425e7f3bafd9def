namespace IdentityBroker.Sync.Delivery;

/// <summary>A pool's bulk publish as the store keeps it: its state, times and how far it got.</summary>
/// <param name="Cursor">Where the next snapshot page starts (opaque to callers); null before the first page.</param>
/// <param name="PublishedDatasets">Datasets appended to the stream so far.</param>
public sealed record BulkPublishJob(
    string IdentityPoolId,
    BulkPublishStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? CompleteTime,
    string? FailureMessage,
    string? Cursor,
    long PublishedDatasets);

/// <summary>What asking to start a bulk publish came to.</summary>
public enum BulkPublishStart
{
    Started,

    /// <summary>One is IN_PROGRESS for the pool: DuplicateRequestException.</summary>
    AlreadyRunning,

    /// <summary>One SUCCEEDED less than the interval ago: AlreadyStreamedException.</summary>
    AlreadyStreamed,
}

/// <summary>
/// A page of a pool's existing datasets, each as a snapshot change (kind Update, every live record, the dataset's sync
/// count, no device). <see cref="Cursor"/> is where the next page starts; <see cref="IsLast"/> when no dataset follows.
/// </summary>
public sealed record SyncSnapshotPage(IReadOnlyList<SyncChange> Datasets, string? Cursor, bool IsLast);

/// <summary>
/// Bulk publish's storage, beside the core's <see cref="ISyncStore"/>. Each store implements it in
/// <c>*BrokerStore.SyncStream.cs</c>; <c>StoreContractTests.SyncStream</c> is its contract.
/// </summary>
public interface ISyncBulkPublishStore
{
    /// <summary>
    /// Atomically starts the pool's bulk publish unless one is IN_PROGRESS or one SUCCEEDED after
    /// <paramref name="succeededAfter"/>; a started publish is IN_PROGRESS from <paramref name="now"/>, at no cursor.
    /// </summary>
    Task<BulkPublishStart> TryStartBulkPublishAsync(string identityPoolId, DateTimeOffset now, DateTimeOffset succeededAfter, CancellationToken cancellationToken);

    Task<BulkPublishJob?> GetBulkPublishAsync(string identityPoolId, CancellationToken cancellationToken);

    /// <summary>Every IN_PROGRESS bulk publish (a restarted broker resumes them).</summary>
    Task<IReadOnlyList<BulkPublishJob>> ListRunningBulkPublishesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The pool's datasets after <paramref name="cursor"/> (null: from the first), a page of about <paramref name="pageSize"/>
    /// (datasets with SQLite, identities with Redis), each as <see cref="SyncSnapshot.Of"/>.
    /// </summary>
    /// <exception cref="Storage.InvalidNextTokenException"><paramref name="cursor"/> is not a cursor of this store.</exception>
    Task<SyncSnapshotPage> ReadSyncSnapshotAsync(string identityPoolId, string? cursor, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: appends <paramref name="page"/>'s datasets to the pool's sync stream, moves the publish's cursor to
    /// the page's and counts them. Does nothing and returns false unless the publish is IN_PROGRESS at
    /// <paramref name="expectedCursor"/>: a page is never appended twice, whoever runs the publish.
    /// </summary>
    Task<bool> AppendBulkPublishAsync(string identityPoolId, string? expectedCursor, SyncSnapshotPage page, CancellationToken cancellationToken);

    /// <summary>Ends the pool's IN_PROGRESS publish as SUCCEEDED or FAILED (with why) at <paramref name="now"/>; false when none is in progress.</summary>
    Task<bool> FinishBulkPublishAsync(string identityPoolId, BulkPublishStatus status, string? failureMessage, DateTimeOffset now, CancellationToken cancellationToken);
}
