namespace IdentityBroker.Sync.Delivery;

/// <summary>One page of a pool's sync stream, oldest first; <see cref="LastPosition"/> is where the next page starts after.</summary>
public sealed record SyncStreamPage(IReadOnlyList<SyncStreamEntry> Entries, string? LastPosition);

/// <summary>A pool's bulk publish as the store keeps it: its state, times and how far it got (the last dataset published).</summary>
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

/// <summary>A page of a pool's datasets, each as a snapshot change holding all its live records, in a stable order.</summary>
public sealed record SyncSnapshotPage(IReadOnlyList<SyncChange> Datasets, string? Cursor);

/// <summary>
/// The delivery side's storage (push targets, the stream's reading, bulk publish). Each store implements it in
/// <c>*BrokerStore.SyncStream.cs</c>; <c>StoreContractTests.SyncStream</c> is its contract.
/// </summary>
public interface ISyncDeliveryStore
{
    /// <summary>The devices subscribed to the identity's dataset, with their platform and token.</summary>
    Task<IReadOnlyList<PushTarget>> ListPushTargetsAsync(string identityId, string datasetName, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="maxResults"/> entries of the pool's stream after <paramref name="afterPosition"/> (null: from the start).</summary>
    /// <exception cref="Storage.InvalidNextTokenException"><paramref name="afterPosition"/> is not a position of this store.</exception>
    Task<SyncStreamPage> ReadSyncStreamAsync(string identityPoolId, string? afterPosition, int maxResults, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically starts the pool's bulk publish unless one is IN_PROGRESS or one SUCCEEDED after
    /// <paramref name="succeededAfter"/>; a started publish is IN_PROGRESS from <paramref name="now"/> with no cursor.
    /// </summary>
    Task<BulkPublishStart> TryStartBulkPublishAsync(string identityPoolId, DateTimeOffset now, DateTimeOffset succeededAfter, CancellationToken cancellationToken);

    Task<BulkPublishJob?> GetBulkPublishAsync(string identityPoolId, CancellationToken cancellationToken);

    /// <summary>Every pool's IN_PROGRESS bulk publish (a restarted broker resumes them).</summary>
    Task<IReadOnlyList<BulkPublishJob>> ListRunningBulkPublishesAsync(CancellationToken cancellationToken);

    /// <summary>At most <paramref name="maxResults"/> of the pool's datasets after <paramref name="cursor"/>, as snapshot changes at <paramref name="now"/>.</summary>
    Task<SyncSnapshotPage> ReadSyncSnapshotAsync(string identityPoolId, string? cursor, int maxResults, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: appends <paramref name="snapshot"/>'s datasets to the pool's stream and moves the publish's cursor
    /// to its cursor. Does nothing and returns false unless the pool's publish is IN_PROGRESS at <paramref name="expectedCursor"/>,
    /// so a page is never appended twice.
    /// </summary>
    Task<bool> AppendBulkPublishAsync(string identityPoolId, string? expectedCursor, SyncSnapshotPage snapshot, CancellationToken cancellationToken);

    /// <summary>Ends the pool's IN_PROGRESS publish as SUCCEEDED or FAILED (with why) at <paramref name="now"/>.</summary>
    Task FinishBulkPublishAsync(string identityPoolId, BulkPublishStatus status, string? failureMessage, DateTimeOffset now, CancellationToken cancellationToken);
}
