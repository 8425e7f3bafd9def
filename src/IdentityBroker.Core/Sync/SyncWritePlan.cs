namespace IdentityBroker.Sync;

/// <summary>
/// The one rule of an UpdateRecords write, shared by both stores: given the dataset as it is (null when new) and the
/// stored state of the patched keys, either the reason nothing may be written, or the records to write and the dataset
/// after. Every written record takes the dataset's new sync count, so ListRecords after a LastSyncCount returns exactly the
/// records written since.
/// </summary>
public static class SyncWritePlan
{
    /// <param name="current">The dataset now; null when it does not exist yet.</param>
    /// <param name="stored">The stored state of the patched keys that exist (tombstones included).</param>
    /// <param name="datasetCount">The identity's datasets now (used only when the dataset is new).</param>
    /// <param name="deletedSyncCount">
    /// The sync count the dataset had when last deleted (0 if never; used only when the dataset is new): a dataset made
    /// again counts on from it, so a device that synced the old one never mistakes the new one's counts for its own.
    /// </param>
    public static SyncPlanned Plan(
        SyncWrite write, SyncDataset? current, IReadOnlyDictionary<string, SyncRecordState> stored, int datasetCount, long deletedSyncCount = 0)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var patch in write.Patches)
        {
            var count = stored.TryGetValue(patch.Key, out var existing) ? existing.SyncCount : 0;
            if (patch.ExpectedSyncCount != count)
            {
                return new SyncPlanned(new SyncWriteOutcome(SyncWriteKind.Conflict, ConflictKey: patch.Key, CurrentSyncCount: count), null);
            }
        }

        if (current is null && datasetCount >= write.Limits.MaxDatasetsPerIdentity)
        {
            return new SyncPlanned(new SyncWriteOutcome(SyncWriteKind.TooManyDatasets), null);
        }

        var next = (current?.SyncCount ?? deletedSyncCount) + 1;
        long bytes = current?.DataStorage ?? 0, live = current?.NumRecords ?? 0;
        var records = new List<SyncRecordState>(write.Patches.Count);
        foreach (var patch in write.Patches)
        {
            if (stored.TryGetValue(patch.Key, out var old) && !old.Deleted)
            {
                bytes -= Size(old.Key, old.Value);
                live--;
            }

            var deleted = patch.Value is null;
            if (!deleted)
            {
                bytes += Size(patch.Key, patch.Value);
                live++;
            }

            records.Add(new SyncRecordState(patch.Key, patch.Value, next, write.Time, write.LastModifiedBy, patch.DeviceLastModifiedDate, deleted));
        }

        if (bytes > write.Limits.MaxBytesPerDataset)
        {
            return new SyncPlanned(new SyncWriteOutcome(SyncWriteKind.DatasetTooLarge), null);
        }

        if (live > write.Limits.MaxRecordsPerDataset)
        {
            return new SyncPlanned(new SyncWriteOutcome(SyncWriteKind.TooManyRecords), null);
        }

        var dataset = new SyncDataset(write.IdentityPoolId, write.IdentityId, write.DatasetName, current?.CreationDate ?? write.Time, write.Time,
            write.LastModifiedBy, bytes, live, next);
        var change = new SyncChange(write.IdentityPoolId, write.IdentityId, write.DatasetName, next, write.DeviceId, records, SyncChangeKind.Update, write.Time);
        return new SyncPlanned(new SyncWriteOutcome(SyncWriteKind.Written, change), dataset);
    }

    /// <summary>What a record counts toward the 1 MB: the UTF-8 bytes of its key and value.</summary>
    public static long Size(string key, string? value) =>
        System.Text.Encoding.UTF8.GetByteCount(key) + (value is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(value));

    /// <summary>
    /// The name a merged identity's dataset takes on the surviving identity when the survivor has one of the same name
    /// (docs/sync.md, "Merged identities"): <c>&lt;name&gt;.&lt;merged identity id&gt;</c>, the name cut so the whole fits
    /// 128 characters — the form the Cognito Sync SDKs use for a merged identity's local datasets.
    /// </summary>
    public static string MergedName(string datasetName, string mergedIdentityId)
    {
        ArgumentNullException.ThrowIfNull(datasetName);
        ArgumentNullException.ThrowIfNull(mergedIdentityId);
        var room = Math.Max(1, SyncNames.MaxDatasetNameLength - 1 - mergedIdentityId.Length);
        return $"{(datasetName.Length > room ? datasetName[..room] : datasetName)}.{mergedIdentityId}";
    }
}

/// <summary>A planned write: the outcome, and for a write the dataset as it will be after it.</summary>
public sealed record SyncPlanned(SyncWriteOutcome Outcome, SyncDataset? After);
