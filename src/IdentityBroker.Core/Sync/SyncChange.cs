namespace IdentityBroker.Sync;

/// <summary>What a committed change did to a dataset (docs/sync.md).</summary>
public enum SyncChangeKind
{
    /// <summary>An UpdateRecords call wrote (replaced or removed) one or more records.</summary>
    Update,

    /// <summary>A DeleteDataset call removed the dataset and all its records.</summary>
    DeleteDataset,
}

/// <summary>
/// One record as a committed change left it: the value (null when <see cref="Deleted"/>), the record's sync count after
/// the change, who wrote it and when. <see cref="DeviceLastModifiedDate"/> is the client's claim, kept as given.
/// </summary>
public sealed record SyncRecordState(
    string Key,
    string? Value,
    long SyncCount,
    DateTimeOffset LastModifiedDate,
    string? LastModifiedBy,
    DateTimeOffset? DeviceLastModifiedDate,
    bool Deleted);

/// <summary>
/// The raw fact of one committed change to one dataset: what the store appends to the sync stream in the change's own
/// transaction (when the pool's Cognito Streams are enabled) and what <see cref="ISyncChangeObserver"/>s are told after it
/// committed. No credential or token is carried.
/// </summary>
/// <param name="DatasetSyncCount">The dataset's sync count after the change (for a deletion, the count it had).</param>
/// <param name="DeviceId">The writer's DeviceId from the request; null when the client sent none.</param>
/// <param name="Records">The records the change wrote; empty for <see cref="SyncChangeKind.DeleteDataset"/>.</param>
public sealed record SyncChange(
    string IdentityPoolId,
    string IdentityId,
    string DatasetName,
    long DatasetSyncCount,
    string? DeviceId,
    IReadOnlyList<SyncRecordState> Records,
    SyncChangeKind Kind,
    DateTimeOffset Time);
