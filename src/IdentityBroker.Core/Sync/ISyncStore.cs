namespace IdentityBroker.Sync;

/// <summary>
/// Cognito Sync's storage (docs/sync.md): datasets and their records per identity, a pool's sync configuration, devices
/// and subscriptions, and the pool's sync stream. Every write of one dataset is atomic: two writers racing on one dataset
/// never both succeed against the same sync counts, and a write is whole or absent. Every call names the identity's pool
/// (identity ids are unique across pools; the Redis store keeps a pool's sync data in the pool's slot). A merge moves the
/// merged identity's datasets to the survivor inside the identity store's merge itself, atomically with it (docs/sync.md,
/// "Merged identities").
/// </summary>
public interface ISyncStore
{
    Task<SyncDataset?> GetDatasetAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken);

    /// <summary>The identity's datasets, by name.</summary>
    Task<IReadOnlyList<SyncDataset>> ListDatasetsAsync(string identityPoolId, string identityId, CancellationToken cancellationToken);

    /// <summary>The dataset's records (tombstones included) with a sync count above <paramref name="afterSyncCount"/>, by sync count then key.</summary>
    Task<IReadOnlyList<SyncRecordState>> ListRecordsAsync(string identityPoolId, string identityId, string datasetName, long afterSyncCount, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="write"/> by <see cref="SyncWritePlan"/>, atomically; when the pool's streams are enabled
    /// (<see cref="SyncPoolSettings.Streaming"/>), appends the change to the pool's sync stream in the same transaction.
    /// </summary>
    Task<SyncWriteOutcome> UpdateRecordsAsync(SyncWrite write, CancellationToken cancellationToken);

    /// <summary>Removes the dataset and its records (and subscriptions), appending a DeleteDataset change to the stream when enabled.</summary>
    /// <returns>The dataset as it was; null when there was none.</returns>
    Task<SyncDataset?> DeleteDatasetAsync(string identityPoolId, string identityId, string datasetName, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>
    /// The sync count <paramref name="datasetName"/> had when it was last deleted; 0 when it never was. A dataset made
    /// again counts on from it (docs/sync.md, "Deleted datasets").
    /// </summary>
    Task<long> GetDeletedSyncCountAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken);

    /// <summary>Counts one sync session of the pool (<see cref="SyncPoolUsage.SyncSessionsCount"/>).</summary>
    Task CountSyncSessionAsync(string identityPoolId, CancellationToken cancellationToken);

    Task<SyncPoolUsage> GetPoolUsageAsync(string identityPoolId, CancellationToken cancellationToken);

    Task<SyncPoolSettings?> GetSyncSettingsAsync(string identityPoolId, CancellationToken cancellationToken);

    Task PutSyncSettingsAsync(SyncPoolSettings settings, CancellationToken cancellationToken);

    /// <summary>Stores the device (a repeat replaces it).</summary>
    Task PutDeviceAsync(SyncDevice device, CancellationToken cancellationToken);

    Task<SyncDevice?> GetDeviceAsync(string identityPoolId, string identityId, string deviceId, CancellationToken cancellationToken);

    /// <summary>Subscribes (or unsubscribes) the device to the dataset's changes; idempotent.</summary>
    Task SetSubscriptionAsync(string identityPoolId, string identityId, string datasetName, string deviceId, bool subscribed, CancellationToken cancellationToken);

    /// <summary>The devices subscribed to the dataset, by device id.</summary>
    Task<IReadOnlyList<SyncDevice>> ListSubscribersAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="max"/> entries of the pool's sync stream after <paramref name="afterPosition"/> (null: from the start), oldest first.</summary>
    Task<IReadOnlyList<SyncStreamEntry>> ReadSyncStreamAsync(string identityPoolId, string? afterPosition, int max, CancellationToken cancellationToken);
}
