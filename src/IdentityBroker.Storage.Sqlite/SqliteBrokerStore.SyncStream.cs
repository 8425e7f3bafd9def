using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>Bulk publish (docs/sync.md, "Cognito Streams"): its job row, the pool's datasets read in pages, appends to <c>sync_stream</c>.</summary>
public sealed partial class SqliteBrokerStore : ISyncBulkPublishStore
{
    private const string BulkColumns = "pool_id, status, started, completed, failure, cursor, published";

    public Task<BulkPublishStart> TryStartBulkPublishAsync(
        string identityPoolId, DateTimeOffset now, DateTimeOffset succeededAfter, CancellationToken cancellationToken) =>
        WriteUncachedAsync((identityPoolId, now, succeededAfter), static async (s, k, ct) =>
        {
            var job = await FindBulkPublishAsync(s, k.identityPoolId, ct);
            if (job?.Status == BulkPublishStatus.InProgress)
            {
                return BulkPublishStart.AlreadyRunning;
            }

            if (job is { Status: BulkPublishStatus.Succeeded, CompleteTime: { } done } && done > k.succeededAfter)
            {
                return BulkPublishStart.AlreadyStreamed;
            }

            var command = s.Command("""
                INSERT INTO sync_bulk_publish (pool_id, status, started, completed, failure, cursor, published)
                VALUES ($pool, $status, $started, NULL, NULL, NULL, 0)
                ON CONFLICT (pool_id) DO UPDATE SET status = excluded.status, started = excluded.started,
                    completed = NULL, failure = NULL, cursor = NULL, published = 0;
                """);
            command.Parameters.AddWithValue("$pool", k.identityPoolId);
            command.Parameters.AddWithValue("$status", (int)BulkPublishStatus.InProgress);
            command.Parameters.AddWithValue("$started", ToTicks(k.now));
            await command.ExecuteNonQueryAsync(ct);
            return BulkPublishStart.Started;
        }, cancellationToken);

    public Task<BulkPublishJob?> GetBulkPublishAsync(string identityPoolId, CancellationToken cancellationToken) =>
        ReadAsync(identityPoolId, static (s, id, ct) => FindBulkPublishAsync(s, id, ct), cancellationToken);

    public Task<IReadOnlyList<BulkPublishJob>> ListRunningBulkPublishesAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static async (s, _, ct) =>
        {
            var command = s.Command($"SELECT {BulkColumns} FROM sync_bulk_publish WHERE status = $status ORDER BY started, pool_id;");
            command.Parameters.AddWithValue("$status", (int)BulkPublishStatus.InProgress);
            var jobs = new List<BulkPublishJob>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                jobs.Add(ReadBulkPublish(reader));
            }

            return (IReadOnlyList<BulkPublishJob>)jobs;
        }, cancellationToken);

    /// <summary>Datasets in (identity id, name) order; the cursor is the last one's <c>identity/name</c> (neither holds a '/').</summary>
    public Task<SyncSnapshotPage> ReadSyncSnapshotAsync(string identityPoolId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (afterIdentity, afterName) = SplitCursor(cursor);
        return ReadAsync((identityPoolId, afterIdentity, afterName, pageSize), static async (s, k, ct) =>
        {
            var command = s.Command($"""
                SELECT {DatasetColumns} FROM sync_datasets
                WHERE pool_id = $pool AND (identity_id > $id OR (identity_id = $id AND name > $name))
                ORDER BY identity_id, name LIMIT $limit;
                """);
            command.Parameters.AddWithValue("$pool", k.identityPoolId);
            command.Parameters.AddWithValue("$id", k.afterIdentity);
            command.Parameters.AddWithValue("$name", k.afterName);
            command.Parameters.AddWithValue("$limit", k.pageSize + 1);
            var datasets = new List<SyncDataset>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    datasets.Add(ReadDataset(reader));
                }
            }

            var isLast = datasets.Count <= k.pageSize;
            var page = datasets.Take(k.pageSize).ToList();
            var changes = new List<SyncChange>(page.Count);
            foreach (var dataset in page)
            {
                changes.Add(SyncSnapshot.Of(dataset, await LiveRecordsAsync(s, dataset, ct)));
            }

            var last = page.Count == 0 ? null : page[^1].IdentityId + "/" + page[^1].DatasetName;
            return new SyncSnapshotPage(changes, last ?? (k.afterIdentity.Length == 0 ? null : k.afterIdentity + "/" + k.afterName), isLast);
        }, cancellationToken);
    }

    public Task<bool> AppendBulkPublishAsync(string identityPoolId, string? expectedCursor, SyncSnapshotPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        return WriteUncachedAsync((identityPoolId, expectedCursor, page), static async (s, k, ct) =>
        {
            var job = await FindBulkPublishAsync(s, k.identityPoolId, ct);
            if (job is not { Status: BulkPublishStatus.InProgress } || job.Cursor != k.expectedCursor)
            {
                return false;
            }

            foreach (var change in k.page.Datasets)
            {
                var insert = s.Command("INSERT INTO sync_stream (pool_id, change) VALUES ($pool, $change);");
                insert.Parameters.AddWithValue("$pool", k.identityPoolId);
                insert.Parameters.AddWithValue("$change", SyncChangeJson.Serialize(change));
                await insert.ExecuteNonQueryAsync(ct);
            }

            var update = s.Command("UPDATE sync_bulk_publish SET cursor = $cursor, published = published + $count WHERE pool_id = $pool;");
            update.Parameters.AddWithValue("$pool", k.identityPoolId);
            update.Parameters.AddWithValue("$cursor", (object?)k.page.Cursor ?? DBNull.Value);
            update.Parameters.AddWithValue("$count", k.page.Datasets.Count);
            await update.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    public Task<bool> FinishBulkPublishAsync(
        string identityPoolId, BulkPublishStatus status, string? failureMessage, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteUncachedAsync((identityPoolId, status, failureMessage, now), static async (s, k, ct) =>
        {
            var command = s.Command("""
                UPDATE sync_bulk_publish SET status = $status, completed = $completed, failure = $failure
                WHERE pool_id = $pool AND status = $running;
                """);
            command.Parameters.AddWithValue("$pool", k.identityPoolId);
            command.Parameters.AddWithValue("$status", (int)k.status);
            command.Parameters.AddWithValue("$completed", ToTicks(k.now));
            command.Parameters.AddWithValue("$failure", (object?)k.failureMessage ?? DBNull.Value);
            command.Parameters.AddWithValue("$running", (int)BulkPublishStatus.InProgress);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    private static async Task<IReadOnlyList<SyncRecordState>> LiveRecordsAsync(SqliteSession s, SyncDataset dataset, CancellationToken ct)
    {
        var command = s.Command($"SELECT {RecordColumns} FROM sync_records WHERE identity_id = $id AND dataset = $name AND deleted = 0 ORDER BY key;");
        command.Parameters.AddWithValue("$id", dataset.IdentityId);
        command.Parameters.AddWithValue("$name", dataset.DatasetName);
        var records = new List<SyncRecordState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    private static async Task<BulkPublishJob?> FindBulkPublishAsync(SqliteSession s, string poolId, CancellationToken ct)
    {
        var command = s.Command($"SELECT {BulkColumns} FROM sync_bulk_publish WHERE pool_id = $pool;");
        command.Parameters.AddWithValue("$pool", poolId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadBulkPublish(reader) : null;
    }

    private static BulkPublishJob ReadBulkPublish(SqliteDataReader r) => new(
        r.GetString(0), (BulkPublishStatus)r.GetInt32(1), FromTicks(r.GetInt64(2)), r.IsDBNull(3) ? null : FromTicks(r.GetInt64(3)),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6));

    private static (string Identity, string Name) SplitCursor(string? cursor)
    {
        if (cursor is null)
        {
            return ("", "");
        }

        var slash = cursor.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? throw new InvalidNextTokenException("Not a bulk publish cursor.") : (cursor[..slash], cursor[(slash + 1)..]);
    }
}
