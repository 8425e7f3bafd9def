namespace IdentityBroker.Sync.Delivery;

/// <summary>What bulk publish puts on the stream for one existing dataset: a replace of all its live records.</summary>
public static class SyncSnapshot
{
    /// <summary>The dataset as one change: its sync count, its live records, its last modification time; no device wrote it.</summary>
    public static SyncChange Of(SyncDataset dataset, IReadOnlyList<SyncRecordState> liveRecords)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new SyncChange(dataset.IdentityPoolId, dataset.IdentityId, dataset.DatasetName, dataset.SyncCount, null,
            liveRecords, SyncChangeKind.Update, dataset.LastModifiedDate);
    }
}
