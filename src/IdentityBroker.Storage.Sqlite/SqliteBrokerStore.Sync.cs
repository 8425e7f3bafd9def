using System.Globalization;
using System.Text.Json;
using IdentityBroker.Sync;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : ISyncStore
{
    private const string DatasetColumns = "pool_id, identity_id, name, created, modified, modified_by, storage, records, sync_count";

    private static readonly (string Table, string Column)[] MovedTables = [("sync_datasets", "name"), ("sync_records", "dataset")];

    private const string RecordColumns = "key, value, sync_count, modified, modified_by, device_modified, deleted";

    public Task<SyncDataset?> GetDatasetAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        ReadAsync((identityId, datasetName), static (s, k, ct) => FindDatasetAsync(s, k.identityId, k.datasetName, ct), cancellationToken);

    public Task<IReadOnlyList<SyncDataset>> ListDatasetsAsync(string identityPoolId, string identityId, CancellationToken cancellationToken) =>
        ReadAsync(identityId, static async (s, id, ct) =>
        {
            var command = s.Command($"SELECT {DatasetColumns} FROM sync_datasets WHERE identity_id = $id ORDER BY name;");
            command.Parameters.AddWithValue("$id", id);
            var datasets = new List<SyncDataset>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                datasets.Add(ReadDataset(reader));
            }

            return (IReadOnlyList<SyncDataset>)datasets;
        }, cancellationToken);

    public Task<IReadOnlyList<SyncRecordState>> ListRecordsAsync(string identityPoolId, string identityId, string datasetName, long afterSyncCount, CancellationToken cancellationToken) =>
        ReadAsync((identityId, datasetName, afterSyncCount), static async (s, k, ct) =>
        {
            var command = s.Command($"""
                SELECT {RecordColumns} FROM sync_records
                WHERE identity_id = $id AND dataset = $name AND sync_count > $after ORDER BY sync_count, key;
                """);
            command.Parameters.AddWithValue("$id", k.identityId);
            command.Parameters.AddWithValue("$name", k.datasetName);
            command.Parameters.AddWithValue("$after", k.afterSyncCount);
            var records = new List<SyncRecordState>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                records.Add(ReadRecord(reader));
            }

            return (IReadOnlyList<SyncRecordState>)records;
        }, cancellationToken);

    public Task<SyncWriteOutcome> UpdateRecordsAsync(SyncWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteUncachedAsync(write, static async (s, w, ct) =>
        {
            var current = await FindDatasetAsync(s, w.IdentityId, w.DatasetName, ct);
            var stored = await FindRecordsAsync(s, w.IdentityId, w.DatasetName, w.Patches.Select(p => p.Key), ct);
            var count = current is null ? await CountDatasetsAsync(s, w.IdentityId, ct) : 0;
            var deleted = current is null ? await DeletedSyncCountAsync(s, w.IdentityId, w.DatasetName, ct) : 0;
            var planned = SyncWritePlan.Plan(w, current, stored, count, deleted);
            if (planned.After is not { } after)
            {
                return planned.Outcome;
            }

            await SaveDatasetAsync(s, after, ct);
            foreach (var record in planned.Outcome.Change!.Records)
            {
                await SaveRecordAsync(s, w.IdentityId, w.DatasetName, record, ct);
            }

            await AppendStreamAsync(s, planned.Outcome.Change, ct);
            return planned.Outcome;
        }, cancellationToken);
    }

    public Task<SyncDataset?> DeleteDatasetAsync(string identityPoolId, string identityId, string datasetName, DateTimeOffset time, CancellationToken cancellationToken) =>
        WriteUncachedAsync((identityId, datasetName, time), static async (s, k, ct) =>
        {
            var current = await FindDatasetAsync(s, k.identityId, k.datasetName, ct);
            if (current is null)
            {
                return null;
            }

            foreach (var table in (string[])["sync_datasets", "sync_records", "sync_subscriptions"])
            {
                var column = table == "sync_datasets" ? "name" : "dataset";
                var delete = s.Command($"DELETE FROM {table} WHERE identity_id = $id AND {column} = $name;");
                delete.Parameters.AddWithValue("$id", k.identityId);
                delete.Parameters.AddWithValue("$name", k.datasetName);
                await delete.ExecuteNonQueryAsync(ct);
            }

            var mark = s.Command("""
                INSERT INTO sync_deleted (identity_id, name, sync_count) VALUES ($id, $name, $count)
                ON CONFLICT (identity_id, name) DO UPDATE SET sync_count = excluded.sync_count;
                """);
            mark.Parameters.AddWithValue("$id", k.identityId);
            mark.Parameters.AddWithValue("$name", k.datasetName);
            mark.Parameters.AddWithValue("$count", current.SyncCount);
            await mark.ExecuteNonQueryAsync(ct);
            await AppendStreamAsync(s, new SyncChange(current.IdentityPoolId, k.identityId, k.datasetName, current.SyncCount, null, [],
                SyncChangeKind.DeleteDataset, k.time), ct);
            return current;
        }, cancellationToken);

    /// <summary>
    /// A merge's dataset move (docs/sync.md, "Merged identities"), run by the identity merge inside its own write
    /// transaction (<see cref="MoveLoginsAndDisableAsync"/>): a failure here rolls the merge back with it.
    /// </summary>
    private static async Task MoveSyncDatasetsAsync(SqliteSession s, string fromIdentityId, string toIdentityId, CancellationToken ct)
    {
        var names = new List<string>();
        var list = s.Command("SELECT name FROM sync_datasets WHERE identity_id = $from ORDER BY name;");
        list.Parameters.AddWithValue("$from", fromIdentityId);
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            var target = await FindDatasetAsync(s, toIdentityId, name, ct) is null ? name : SyncWritePlan.MergedName(name, fromIdentityId);
            if (target != name && await FindDatasetAsync(s, toIdentityId, target, ct) is not null)
            {
                continue; // both names taken (the same identity merged twice over): the dataset stays
            }

            foreach (var (table, column) in MovedTables)
            {
                var move = s.Command($"UPDATE {table} SET identity_id = $to, {column} = $target WHERE identity_id = $from AND {column} = $name;");
                move.Parameters.AddWithValue("$to", toIdentityId);
                move.Parameters.AddWithValue("$target", target);
                move.Parameters.AddWithValue("$from", fromIdentityId);
                move.Parameters.AddWithValue("$name", name);
                await move.ExecuteNonQueryAsync(ct);
            }
        }

        var unsubscribe = s.Command("DELETE FROM sync_subscriptions WHERE identity_id = $from;");
        unsubscribe.Parameters.AddWithValue("$from", fromIdentityId);
        await unsubscribe.ExecuteNonQueryAsync(ct);
    }

    public Task<long> GetDeletedSyncCountAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        ReadAsync((identityId, datasetName), static (s, k, ct) => DeletedSyncCountAsync(s, k.identityId, k.datasetName, ct), cancellationToken);

    public Task CountSyncSessionAsync(string identityPoolId, CancellationToken cancellationToken) =>
        WriteUncachedAsync(identityPoolId, static async (s, poolId, ct) =>
        {
            var command = s.Command("""
                INSERT INTO sync_sessions (pool_id, count) VALUES ($pool, 1)
                ON CONFLICT (pool_id) DO UPDATE SET count = count + 1;
                """);
            command.Parameters.AddWithValue("$pool", poolId);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<SyncPoolUsage> GetPoolUsageAsync(string identityPoolId, CancellationToken cancellationToken) =>
        ReadAsync(identityPoolId, static async (s, poolId, ct) =>
        {
            var command = s.Command("""
                SELECT COALESCE(SUM(storage), 0), MAX(modified), (SELECT count FROM sync_sessions WHERE pool_id = $pool)
                FROM sync_datasets WHERE pool_id = $pool;
                """);
            command.Parameters.AddWithValue("$pool", poolId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new SyncPoolUsage(poolId, reader.GetInt64(0), reader.IsDBNull(1) ? null : FromTicks(reader.GetInt64(1)),
                reader.IsDBNull(2) ? 0 : reader.GetInt64(2));
        }, cancellationToken);

    public Task<SyncPoolSettings?> GetSyncSettingsAsync(string identityPoolId, CancellationToken cancellationToken) =>
        ReadAsync(identityPoolId, static async (s, poolId, ct) =>
        {
            var command = s.Command("SELECT document FROM sync_settings WHERE pool_id = $pool;");
            command.Parameters.AddWithValue("$pool", poolId);
            return await command.ExecuteScalarAsync(ct) is string document
                ? JsonSerializer.Deserialize(document, SyncStoreJsonContext.Default.SyncPoolSettings)
                : null;
        }, cancellationToken);

    public Task PutSyncSettingsAsync(SyncPoolSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return WriteUncachedAsync(settings, static async (s, p, ct) =>
        {
            var command = s.Command("""
                INSERT INTO sync_settings (pool_id, streaming, document) VALUES ($pool, $streaming, $document)
                ON CONFLICT (pool_id) DO UPDATE SET streaming = excluded.streaming, document = excluded.document;
                """);
            command.Parameters.AddWithValue("$pool", p.IdentityPoolId);
            command.Parameters.AddWithValue("$streaming", p.Streaming ? 1 : 0);
            command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(p, SyncStoreJsonContext.Default.SyncPoolSettings));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public Task PutDeviceAsync(SyncDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return WriteUncachedAsync(device, static async (s, d, ct) =>
        {
            var command = s.Command("""
                INSERT INTO sync_devices (identity_id, device_id, document) VALUES ($id, $device, $document)
                ON CONFLICT (identity_id, device_id) DO UPDATE SET document = excluded.document;
                """);
            command.Parameters.AddWithValue("$id", d.IdentityId);
            command.Parameters.AddWithValue("$device", d.DeviceId);
            command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(d, SyncStoreJsonContext.Default.SyncDevice));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public Task<SyncDevice?> GetDeviceAsync(string identityPoolId, string identityId, string deviceId, CancellationToken cancellationToken) =>
        ReadAsync((identityId, deviceId), static async (s, k, ct) =>
        {
            var command = s.Command("SELECT document FROM sync_devices WHERE identity_id = $id AND device_id = $device;");
            command.Parameters.AddWithValue("$id", k.identityId);
            command.Parameters.AddWithValue("$device", k.deviceId);
            return await command.ExecuteScalarAsync(ct) is string document
                ? JsonSerializer.Deserialize(document, SyncStoreJsonContext.Default.SyncDevice)
                : null;
        }, cancellationToken);

    public Task SetSubscriptionAsync(string identityPoolId, string identityId, string datasetName, string deviceId, bool subscribed, CancellationToken cancellationToken) =>
        WriteUncachedAsync((identityId, datasetName, deviceId, subscribed), static async (s, k, ct) =>
        {
            var command = s.Command(k.subscribed
                ? "INSERT INTO sync_subscriptions (identity_id, dataset, device_id) VALUES ($id, $name, $device) ON CONFLICT DO NOTHING;"
                : "DELETE FROM sync_subscriptions WHERE identity_id = $id AND dataset = $name AND device_id = $device;");
            command.Parameters.AddWithValue("$id", k.identityId);
            command.Parameters.AddWithValue("$name", k.datasetName);
            command.Parameters.AddWithValue("$device", k.deviceId);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<IReadOnlyList<SyncDevice>> ListSubscribersAsync(string identityPoolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        ReadAsync((identityId, datasetName), static async (s, k, ct) =>
        {
            var command = s.Command("""
                SELECT d.document FROM sync_subscriptions s
                JOIN sync_devices d ON d.identity_id = s.identity_id AND d.device_id = s.device_id
                WHERE s.identity_id = $id AND s.dataset = $name ORDER BY s.device_id;
                """);
            command.Parameters.AddWithValue("$id", k.identityId);
            command.Parameters.AddWithValue("$name", k.datasetName);
            var devices = new List<SyncDevice>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                devices.Add(JsonSerializer.Deserialize(reader.GetString(0), SyncStoreJsonContext.Default.SyncDevice)!);
            }

            return (IReadOnlyList<SyncDevice>)devices;
        }, cancellationToken);

    public Task<IReadOnlyList<SyncStreamEntry>> ReadSyncStreamAsync(string identityPoolId, string? afterPosition, int max, CancellationToken cancellationToken)
    {
        var after = afterPosition is null ? 0 : long.TryParse(afterPosition, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : long.MaxValue;
        return ReadAsync((identityPoolId, after, max), static async (s, k, ct) =>
        {
            var command = s.Command("SELECT seq, change FROM sync_stream WHERE pool_id = $pool AND seq > $after ORDER BY seq LIMIT $max;");
            command.Parameters.AddWithValue("$pool", k.identityPoolId);
            command.Parameters.AddWithValue("$after", k.after);
            command.Parameters.AddWithValue("$max", k.max);
            var entries = new List<SyncStreamEntry>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                entries.Add(new SyncStreamEntry(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), SyncChangeJson.Deserialize(reader.GetString(1))));
            }

            return (IReadOnlyList<SyncStreamEntry>)entries;
        }, cancellationToken);
    }

    private static async Task<SyncDataset?> FindDatasetAsync(SqliteSession s, string identityId, string name, CancellationToken ct)
    {
        var command = s.Command($"SELECT {DatasetColumns} FROM sync_datasets WHERE identity_id = $id AND name = $name;");
        command.Parameters.AddWithValue("$id", identityId);
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadDataset(reader) : null;
    }

    private static async Task<Dictionary<string, SyncRecordState>> FindRecordsAsync(
        SqliteSession s, string identityId, string name, IEnumerable<string> keys, CancellationToken ct)
    {
        var found = new Dictionary<string, SyncRecordState>(StringComparer.Ordinal);
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            var command = s.Command($"SELECT {RecordColumns} FROM sync_records WHERE identity_id = $id AND dataset = $name AND key = $key;");
            command.Parameters.AddWithValue("$id", identityId);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$key", key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                found[key] = ReadRecord(reader);
            }
        }

        return found;
    }

    private static async Task<long> DeletedSyncCountAsync(SqliteSession s, string identityId, string name, CancellationToken ct)
    {
        var command = s.Command("SELECT sync_count FROM sync_deleted WHERE identity_id = $id AND name = $name;");
        command.Parameters.AddWithValue("$id", identityId);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(ct) is long count ? count : 0;
    }

    private static async Task<int> CountDatasetsAsync(SqliteSession s, string identityId, CancellationToken ct)
    {
        var command = s.Command("SELECT COUNT(*) FROM sync_datasets WHERE identity_id = $id;");
        command.Parameters.AddWithValue("$id", identityId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task SaveDatasetAsync(SqliteSession s, SyncDataset d, CancellationToken ct)
    {
        var command = s.Command($"""
            INSERT INTO sync_datasets ({DatasetColumns}) VALUES ($pool, $id, $name, $created, $modified, $by, $storage, $records, $count)
            ON CONFLICT (identity_id, name) DO UPDATE SET modified = excluded.modified, modified_by = excluded.modified_by,
                storage = excluded.storage, records = excluded.records, sync_count = excluded.sync_count;
            """);
        command.Parameters.AddWithValue("$pool", d.IdentityPoolId);
        command.Parameters.AddWithValue("$id", d.IdentityId);
        command.Parameters.AddWithValue("$name", d.DatasetName);
        command.Parameters.AddWithValue("$created", ToTicks(d.CreationDate));
        command.Parameters.AddWithValue("$modified", ToTicks(d.LastModifiedDate));
        command.Parameters.AddWithValue("$by", (object?)d.LastModifiedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$storage", d.DataStorage);
        command.Parameters.AddWithValue("$records", d.NumRecords);
        command.Parameters.AddWithValue("$count", d.SyncCount);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task SaveRecordAsync(SqliteSession s, string identityId, string name, SyncRecordState r, CancellationToken ct)
    {
        var command = s.Command($"""
            INSERT INTO sync_records (identity_id, dataset, {RecordColumns}) VALUES ($id, $name, $key, $value, $count, $modified, $by, $device, $deleted)
            ON CONFLICT (identity_id, dataset, key) DO UPDATE SET value = excluded.value, sync_count = excluded.sync_count,
                modified = excluded.modified, modified_by = excluded.modified_by, device_modified = excluded.device_modified, deleted = excluded.deleted;
            """);
        command.Parameters.AddWithValue("$id", identityId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", r.Key);
        command.Parameters.AddWithValue("$value", (object?)r.Value ?? DBNull.Value);
        command.Parameters.AddWithValue("$count", r.SyncCount);
        command.Parameters.AddWithValue("$modified", ToTicks(r.LastModifiedDate));
        command.Parameters.AddWithValue("$by", (object?)r.LastModifiedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$device", r.DeviceLastModifiedDate is { } device ? ToTicks(device) : DBNull.Value);
        command.Parameters.AddWithValue("$deleted", r.Deleted ? 1 : 0);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Appends the change to the pool's stream when its streams are enabled; inside the caller's transaction.</summary>
    private static async Task AppendStreamAsync(SqliteSession s, SyncChange change, CancellationToken ct)
    {
        var command = s.Command("""
            INSERT INTO sync_stream (pool_id, change)
            SELECT $pool, $change WHERE EXISTS (SELECT 1 FROM sync_settings WHERE pool_id = $pool AND streaming = 1);
            """);
        command.Parameters.AddWithValue("$pool", change.IdentityPoolId);
        command.Parameters.AddWithValue("$change", SyncChangeJson.Serialize(change));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static SyncDataset ReadDataset(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), FromTicks(r.GetInt64(3)), FromTicks(r.GetInt64(4)),
        r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8));

    private static SyncRecordState ReadRecord(SqliteDataReader r) => new(
        r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), FromTicks(r.GetInt64(3)),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : FromTicks(r.GetInt64(5)), r.GetInt64(6) == 1);
}
