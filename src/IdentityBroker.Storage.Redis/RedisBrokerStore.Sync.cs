using System.Text.Json;
using IdentityBroker.Sync;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore : ISyncStore
{
    // A write that keeps losing the race to other writes of the same dataset gives up as a conflict: the client lists again.
    private const int MaxPlanAttempts = 32;

    public Task<SyncDataset?> GetDatasetAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        GuardAsync(async () => Dataset(await Db.HashGetAsync(_keys.Sync(identityPoolId).Datasets(identityId), datasetName).ConfigureAwait(false)));

    public Task<IReadOnlyList<SyncDataset>> ListDatasetsAsync(string identityPoolId, string identityId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var all = await Db.HashValuesAsync(_keys.Sync(identityPoolId).Datasets(identityId)).ConfigureAwait(false);
            return (IReadOnlyList<SyncDataset>)all.Select(v => Dataset(v)!).OrderBy(d => d.DatasetName, StringComparer.Ordinal).ToList();
        });

    public Task<IReadOnlyList<SyncRecordState>> ListRecordsAsync(
        string identityPoolId, string identityId, string datasetName, long afterSyncCount, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var all = await Db.HashValuesAsync(_keys.Sync(identityPoolId).Records(identityId, datasetName)).ConfigureAwait(false);
            return (IReadOnlyList<SyncRecordState>)all.Select(Record).Where(r => r.SyncCount > afterSyncCount)
                .OrderBy(r => r.SyncCount).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        });

    public Task<SyncWriteOutcome> UpdateRecordsAsync(SyncWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return GuardAsync(async () =>
        {
            var keys = _keys.Sync(write.IdentityPoolId);
            var records = keys.Records(write.IdentityId, write.DatasetName);
            var patched = write.Patches.Select(p => p.Key).Distinct(StringComparer.Ordinal).ToArray();
            for (var attempt = 0; attempt < MaxPlanAttempts; attempt++)
            {
                var current = Dataset(await Db.HashGetAsync(keys.Datasets(write.IdentityId), write.DatasetName).ConfigureAwait(false));
                var values = await Db.HashGetAsync(records, [.. patched.Select(k => (RedisValue)k)]).ConfigureAwait(false);
                var stored = values.Where(v => v.HasValue).Select(Record).ToDictionary(r => r.Key, StringComparer.Ordinal);
                var count = current is null ? (int)await Db.HashLengthAsync(keys.Counts(write.IdentityId)).ConfigureAwait(false) : 0;
                var deleted = current is null ? await Db.HashGetAsync(keys.Deleted(write.IdentityId), write.DatasetName).ConfigureAwait(false) : RedisValue.Null;
                var planned = SyncWritePlan.Plan(write, current, stored, count, deleted.HasValue ? (long)deleted : 0);
                if (planned.After is not { } after)
                {
                    return planned.Outcome;
                }

                var change = planned.Outcome.Change!;
                var args = new List<RedisValue>
                {
                    write.DatasetName, Text(current?.SyncCount ?? 0), Text(write.Limits.MaxDatasetsPerIdentity),
                    JsonSerializer.Serialize(after, SyncStoreJsonContext.Default.SyncDataset), Text(after.SyncCount),
                    Text(after.DataStorage - (current?.DataStorage ?? 0)), Ticks(write.Time), SyncChangeJson.Serialize(change),
                    current is null && deleted.HasValue ? deleted : "0",
                };
                foreach (var record in change.Records)
                {
                    args.Add(record.Key);
                    args.Add(JsonSerializer.Serialize(record, SyncStoreJsonContext.Default.SyncRecordState));
                }

                var reply = (long)await Db.ScriptEvaluateAsync(RedisSyncScripts.UpdateRecords,
                    [keys.Datasets(write.IdentityId), keys.Counts(write.IdentityId), records, keys.Usage, keys.Streaming, keys.Stream, keys.Deleted(write.IdentityId)],
                    [.. args]).ConfigureAwait(false);
                if (reply != 0)
                {
                    return reply == 1 ? planned.Outcome : new SyncWriteOutcome(SyncWriteKind.TooManyDatasets);
                }
            }

            return new SyncWriteOutcome(SyncWriteKind.Conflict, ConflictKey: patched.FirstOrDefault(), CurrentSyncCount: -1);
        });
    }

    public Task<SyncDataset?> DeleteDatasetAsync(
        string identityPoolId, string identityId, string datasetName, DateTimeOffset time, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var keys = _keys.Sync(identityPoolId);
            for (var attempt = 0; attempt < MaxPlanAttempts; attempt++)
            {
                var current = Dataset(await Db.HashGetAsync(keys.Datasets(identityId), datasetName).ConfigureAwait(false));
                if (current is null)
                {
                    return null;
                }

                var change = new SyncChange(identityPoolId, identityId, datasetName, current.SyncCount, null, [], SyncChangeKind.DeleteDataset, time);
                var reply = (long)await Db.ScriptEvaluateAsync(RedisSyncScripts.DeleteDataset,
                    [keys.Datasets(identityId), keys.Counts(identityId), keys.Records(identityId, datasetName),
                        keys.Subscribers(identityId, datasetName), keys.Usage, keys.Streaming, keys.Stream, keys.Deleted(identityId)],
                    [datasetName, Text(current.SyncCount), Text(current.DataStorage), SyncChangeJson.Serialize(change)]).ConfigureAwait(false);
                if (reply == 1)
                {
                    return current;
                }
            }

            throw new InvalidOperationException("The dataset kept changing while it was being deleted.");
        });

    public Task<long> GetDeletedSyncCountAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var count = await Db.HashGetAsync(_keys.Sync(identityPoolId).Deleted(identityId), datasetName).ConfigureAwait(false);
            return count.HasValue ? (long)count : 0;
        });

    public Task CountSyncSessionAsync(string identityPoolId, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashIncrementAsync(_keys.Sync(identityPoolId).Usage, "sessions"));

    /// <summary>
    /// What a merge of <paramref name="mergedIds"/> into <paramref name="survivorId"/> does to their datasets, planned on
    /// what is read now; the merge's script checks the plan still holds before it writes anything (<see cref="SyncDatasetMoves"/>).
    /// </summary>
    private async Task<SyncDatasetMoves> PlanDatasetMovesAsync(string poolId, string survivorId, IReadOnlyList<string> mergedIds)
    {
        var keys = _keys.Sync(poolId);
        var taken = (await Db.HashKeysAsync(keys.Counts(survivorId)).ConfigureAwait(false)).Select(n => (string)n!).ToHashSet(StringComparer.Ordinal);
        var plan = new SyncDatasetMoves(keys, survivorId);
        foreach (var mergedId in mergedIds)
        {
            var datasets = await Db.HashGetAllAsync(keys.Datasets(mergedId)).ConfigureAwait(false);
            var identity = plan.AddMerged(mergedId, datasets.Length);
            foreach (var entry in datasets.OrderBy(e => (string)e.Name!, StringComparer.Ordinal))
            {
                var name = (string)entry.Name!;
                var target = taken.Contains(name) ? SyncWritePlan.MergedName(name, mergedId) : name;
                if (!taken.Add(target))
                {
                    continue; // both names taken (the same identity merged twice over): the dataset stays
                }

                var moved = Dataset(entry.Value)! with { IdentityId = survivorId, DatasetName = target };
                plan.AddMove(identity, name, target, entry.Value!, JsonSerializer.Serialize(moved, SyncStoreJsonContext.Default.SyncDataset));
            }
        }

        return plan;
    }

    public Task<SyncPoolUsage> GetPoolUsageAsync(string identityPoolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var usage = await Db.HashGetAsync(_keys.Sync(identityPoolId).Usage, ["storage", "modified", "sessions"]).ConfigureAwait(false);
            return new SyncPoolUsage(identityPoolId, usage[0].HasValue ? (long)usage[0] : 0, usage[1].HasValue ? FromTicks(usage[1]!) : null,
                usage[2].HasValue ? (long)usage[2] : 0);
        });

    public Task<SyncPoolSettings?> GetSyncSettingsAsync(string identityPoolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.StringGetAsync(_keys.Sync(identityPoolId).Settings).ConfigureAwait(false);
            return document.HasValue ? JsonSerializer.Deserialize((string)document!, SyncStoreJsonContext.Default.SyncPoolSettings) : null;
        });

    public Task PutSyncSettingsAsync(SyncPoolSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var keys = _keys.Sync(settings.IdentityPoolId);
        var transaction = Db.CreateTransaction();
        _ = transaction.StringSetAsync(keys.Settings, JsonSerializer.Serialize(settings, SyncStoreJsonContext.Default.SyncPoolSettings));
        _ = settings.Streaming ? transaction.StringSetAsync(keys.Streaming, "1") : transaction.KeyDeleteAsync(keys.Streaming);
        return GuardAsync(() => transaction.ExecuteAsync());
    }

    public Task PutDeviceAsync(SyncDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return GuardAsync(() => Db.HashSetAsync(_keys.Sync(device.IdentityPoolId).Devices(device.IdentityId), device.DeviceId,
            JsonSerializer.Serialize(device, SyncStoreJsonContext.Default.SyncDevice)));
    }

    public Task<SyncDevice?> GetDeviceAsync(string identityPoolId, string identityId, string deviceId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.Sync(identityPoolId).Devices(identityId), deviceId).ConfigureAwait(false);
            return document.HasValue ? JsonSerializer.Deserialize((string)document!, SyncStoreJsonContext.Default.SyncDevice) : null;
        });

    public Task SetSubscriptionAsync(
        string identityPoolId, string identityId, string datasetName, string deviceId, bool subscribed, CancellationToken cancellationToken)
    {
        var key = _keys.Sync(identityPoolId).Subscribers(identityId, datasetName);
        return GuardAsync(() => subscribed ? Db.SetAddAsync(key, deviceId) : Db.SetRemoveAsync(key, deviceId));
    }

    public Task<IReadOnlyList<SyncDevice>> ListSubscribersAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var keys = _keys.Sync(identityPoolId);
            var ids = (await Db.SetMembersAsync(keys.Subscribers(identityId, datasetName)).ConfigureAwait(false))
                .Select(v => (string)v!).Order(StringComparer.Ordinal).ToArray();
            if (ids.Length == 0)
            {
                return (IReadOnlyList<SyncDevice>)[];
            }

            var documents = await Db.HashGetAsync(keys.Devices(identityId), [.. ids.Select(i => (RedisValue)i)]).ConfigureAwait(false);
            return (IReadOnlyList<SyncDevice>)documents.Where(d => d.HasValue)
                .Select(d => JsonSerializer.Deserialize((string)d!, SyncStoreJsonContext.Default.SyncDevice)!).ToList();
        });

    public Task<IReadOnlyList<SyncStreamEntry>> ReadSyncStreamAsync(string identityPoolId, string? afterPosition, int max, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            if (afterPosition is not null && !IsStreamId(afterPosition))
            {
                return (IReadOnlyList<SyncStreamEntry>)[];
            }

            // "(" makes the start exclusive (Redis 6.2+); "-" is the stream's beginning.
            var start = afterPosition is null ? "-" : "(" + afterPosition;
            var entries = await Db.StreamRangeAsync(_keys.Sync(identityPoolId).Stream, start, "+", max).ConfigureAwait(false);
            return (IReadOnlyList<SyncStreamEntry>)entries
                .Select(e => new SyncStreamEntry((string)e.Id!, SyncChangeJson.Deserialize((string)e["change"]!))).ToList();
        });

    private static bool IsStreamId(string position)
    {
        var dash = position.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && dash < position.Length - 1 && position.Length <= 41
            && position.AsSpan(0, dash).ContainsAnyExceptInRange('0', '9') is false
            && position.AsSpan(dash + 1).ContainsAnyExceptInRange('0', '9') is false;
    }

    private static SyncDataset? Dataset(RedisValue document) =>
        document.HasValue ? JsonSerializer.Deserialize((string)document!, SyncStoreJsonContext.Default.SyncDataset) : null;

    private static SyncRecordState Record(RedisValue document) =>
        JsonSerializer.Deserialize((string)document!, SyncStoreJsonContext.Default.SyncRecordState)!;
}
