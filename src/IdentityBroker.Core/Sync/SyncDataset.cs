namespace IdentityBroker.Sync;

/// <summary>
/// A dataset as DescribeDataset reports it. <see cref="DataStorage"/> is the UTF-8 bytes of its live records' keys and
/// values (what the 1 MB limit counts); <see cref="NumRecords"/> counts live records (removed ones stay as tombstones so
/// other devices learn of the removal, but count for neither).
/// </summary>
public sealed record SyncDataset(
    string IdentityPoolId,
    string IdentityId,
    string DatasetName,
    DateTimeOffset CreationDate,
    DateTimeOffset LastModifiedDate,
    string? LastModifiedBy,
    long DataStorage,
    long NumRecords,
    long SyncCount);

/// <summary>One RecordPatch as the store applies it: <see cref="Value"/> null means remove (Op <c>remove</c>).</summary>
/// <param name="ExpectedSyncCount">The record's sync count the client last saw (0 for a record it believes new).</param>
public sealed record SyncRecordPatch(string Key, string? Value, long ExpectedSyncCount, DateTimeOffset? DeviceLastModifiedDate);

/// <summary>Cognito Sync's per-identity limits (Amazon Cognito quotas: 20 datasets, 1 MB and 1024 records per dataset).</summary>
public sealed record SyncLimits(int MaxDatasetsPerIdentity, long MaxBytesPerDataset, int MaxRecordsPerDataset)
{
    public static readonly SyncLimits Cognito = new(20, 1024 * 1024, 1024);
}

/// <summary>An UpdateRecords call as the store runs it, in one transaction.</summary>
/// <param name="LastModifiedBy">Who the records' LastModifiedBy names (the caller's identity id, as AWS does).</param>
public sealed record SyncWrite(
    string IdentityPoolId,
    string IdentityId,
    string DatasetName,
    string? DeviceId,
    string LastModifiedBy,
    IReadOnlyList<SyncRecordPatch> Patches,
    DateTimeOffset Time,
    SyncLimits Limits);

/// <summary>How an UpdateRecords write ended.</summary>
public enum SyncWriteKind
{
    Written,

    /// <summary>A patch's SyncCount is not the record's: ResourceConflictException; nothing written.</summary>
    Conflict,

    /// <summary>A new dataset beyond <see cref="SyncLimits.MaxDatasetsPerIdentity"/>; nothing written.</summary>
    TooManyDatasets,

    /// <summary>The dataset would exceed <see cref="SyncLimits.MaxBytesPerDataset"/>; nothing written.</summary>
    DatasetTooLarge,

    /// <summary>The dataset would exceed <see cref="SyncLimits.MaxRecordsPerDataset"/>; nothing written.</summary>
    TooManyRecords,
}

/// <summary>The outcome of a write: the committed change, or why nothing was written (with the conflicting key and its count).</summary>
public sealed record SyncWriteOutcome(SyncWriteKind Kind, SyncChange? Change = null, string? ConflictKey = null, long CurrentSyncCount = 0);

/// <summary>
/// Sizes of a pool's datasets for DescribeIdentityPoolUsage; <see cref="LastModifiedDate"/> null when it has none.
/// <see cref="SyncSessionsCount"/>: the sync sessions begun in the pool, one per ListRecords without a NextToken (docs/sync.md).
/// </summary>
public sealed record SyncPoolUsage(string IdentityPoolId, long DataStorage, DateTimeOffset? LastModifiedDate, long SyncSessionsCount = 0);

/// <summary>A device registered with RegisterDevice: its platform (APNS, APNS_SANDBOX, GCM, ADM) and push token.</summary>
public sealed record SyncDevice(string IdentityPoolId, string IdentityId, string DeviceId, string Platform, string Token);
