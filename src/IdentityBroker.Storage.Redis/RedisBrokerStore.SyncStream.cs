using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// Bulk publish (docs/sync.md, "Cognito Streams"): the job is a hash in the pool's slot (<see cref="RedisKeys.SyncBulkPublish"/>),
/// so one script appends a page to the pool's stream and moves the cursor; <see cref="RedisKeys.SyncBulkPublishesRunning"/>
/// is a hint of the pools to resume, checked against each job. The pool's datasets are read identity by identity in the
/// pool's identity order; the cursor is the last identity's position.
/// </summary>
public sealed partial class RedisBrokerStore : ISyncBulkPublishStore
{
    public Task<BulkPublishStart> TryStartBulkPublishAsync(
        string identityPoolId, DateTimeOffset now, DateTimeOffset succeededAfter, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            // The hint first: a crash after it leaves a stale hint (dropped by the next listing), never a job no one resumes.
            await Db.SetAddAsync(_keys.SyncBulkPublishesRunning, identityPoolId).ConfigureAwait(false);
            var reply = (long)await Db.ScriptEvaluateAsync(RedisSyncStreamScripts.StartBulkPublish, [_keys.SyncBulkPublish(identityPoolId)],
                [Ticks(now), Ticks(succeededAfter), Text((int)BulkPublishStatus.InProgress), Text((int)BulkPublishStatus.Succeeded)]).ConfigureAwait(false);
            return reply switch
            {
                1 => BulkPublishStart.AlreadyRunning,
                2 => BulkPublishStart.AlreadyStreamed,
                _ => BulkPublishStart.Started,
            };
        });

    public Task<BulkPublishJob?> GetBulkPublishAsync(string identityPoolId, CancellationToken cancellationToken) =>
        GuardAsync(() => FindBulkPublishAsync(identityPoolId));

    public Task<IReadOnlyList<BulkPublishJob>> ListRunningBulkPublishesAsync(CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var jobs = new List<BulkPublishJob>();
            foreach (var member in await Db.SetMembersAsync(_keys.SyncBulkPublishesRunning).ConfigureAwait(false))
            {
                var poolId = (string)member!;
                if (await FindBulkPublishAsync(poolId).ConfigureAwait(false) is { Status: BulkPublishStatus.InProgress } job)
                {
                    jobs.Add(job);
                }
                else
                {
                    await Db.SetRemoveAsync(_keys.SyncBulkPublishesRunning, poolId).ConfigureAwait(false);
                }
            }

            return (IReadOnlyList<BulkPublishJob>)jobs.OrderBy(j => j.StartTime).ThenBy(j => j.IdentityPoolId, StringComparer.Ordinal).ToList();
        });

    /// <summary>A page is <paramref name="pageSize"/> identities of the pool with all their datasets.</summary>
    public Task<SyncSnapshotPage> ReadSyncSnapshotAsync(string identityPoolId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var after = cursor is null ? double.NegativeInfinity
            : long.TryParse(cursor, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var position)
                ? position : throw new InvalidNextTokenException("Not a bulk publish cursor.");
        return GuardAsync(async () =>
        {
            var identities = await Db.SortedSetRangeByScoreWithScoresAsync(_keys.Pool(identityPoolId).Identities, after, double.PositiveInfinity,
                Exclude.Start, Order.Ascending, 0, pageSize).ConfigureAwait(false);
            var sync = _keys.Sync(identityPoolId);
            var changes = new List<SyncChange>();
            foreach (var identity in identities)
            {
                var identityId = (string)identity.Element!;
                foreach (var dataset in (await Db.HashValuesAsync(sync.Datasets(identityId)).ConfigureAwait(false))
                    .Select(d => Dataset(d)!).OrderBy(d => d.DatasetName, StringComparer.Ordinal))
                {
                    var records = (await Db.HashValuesAsync(sync.Records(identityId, dataset.DatasetName)).ConfigureAwait(false))
                        .Select(Record).Where(r => !r.Deleted).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                    changes.Add(SyncSnapshot.Of(dataset, records));
                }
            }

            var next = identities.Length == 0 ? cursor : Text((long)identities[^1].Score);
            return new SyncSnapshotPage(changes, next, identities.Length < pageSize);
        });
    }

    public Task<bool> AppendBulkPublishAsync(string identityPoolId, string? expectedCursor, SyncSnapshotPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var args = new List<RedisValue>
        {
            expectedCursor ?? "", page.Cursor ?? "", Text(page.Datasets.Count), Text((int)BulkPublishStatus.InProgress),
        };
        args.AddRange(page.Datasets.Select(c => (RedisValue)SyncChangeJson.Serialize(c)));
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(RedisSyncStreamScripts.AppendBulkPublish,
            [_keys.SyncBulkPublish(identityPoolId), _keys.Sync(identityPoolId).Stream], [.. args]).ConfigureAwait(false) == 1);
    }

    public Task<bool> FinishBulkPublishAsync(
        string identityPoolId, BulkPublishStatus status, string? failureMessage, DateTimeOffset now, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var finished = (long)await Db.ScriptEvaluateAsync(RedisSyncStreamScripts.FinishBulkPublish, [_keys.SyncBulkPublish(identityPoolId)],
                [Text((int)BulkPublishStatus.InProgress), Text((int)status), Ticks(now), failureMessage ?? ""]).ConfigureAwait(false) == 1;
            await Db.SetRemoveAsync(_keys.SyncBulkPublishesRunning, identityPoolId).ConfigureAwait(false);
            return finished;
        });

    private async Task<BulkPublishJob?> FindBulkPublishAsync(string identityPoolId)
    {
        var fields = (await Db.HashGetAllAsync(_keys.SyncBulkPublish(identityPoolId)).ConfigureAwait(false))
            .ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
        if (!fields.TryGetValue("status", out var status))
        {
            return null;
        }

        return new BulkPublishJob(identityPoolId, (BulkPublishStatus)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            FromTicks(fields["started"]), fields.TryGetValue("completed", out var completed) ? FromTicks(completed) : null,
            fields.GetValueOrDefault("failure"), fields.GetValueOrDefault("cursor"),
            long.Parse(fields["published"], System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Bulk publish's scripts; each touches the pool's slot only (its job hash and its stream).</summary>
internal static class RedisSyncStreamScripts
{
    /// <summary>KEYS: job. ARGV: now, succeeded-after (ticks), in-progress, succeeded. 0 started; 1 one is running; 2 one succeeded since.</summary>
    public const string StartBulkPublish = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if status == ARGV[3] then return 1 end
        if status == ARGV[4] and tonumber(redis.call('HGET', KEYS[1], 'completed')) > tonumber(ARGV[2]) then return 2 end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'status', ARGV[3], 'started', ARGV[1], 'published', '0')
        return 0
        """;

    /// <summary>KEYS: job, stream. ARGV: expected cursor ('' none), new cursor, count, in-progress, then change JSONs. 1 appended; 0 stale.</summary>
    public const string AppendBulkPublish = """
        if redis.call('HGET', KEYS[1], 'status') ~= ARGV[4] then return 0 end
        if (redis.call('HGET', KEYS[1], 'cursor') or '') ~= ARGV[1] then return 0 end
        for i = 5, #ARGV do redis.call('XADD', KEYS[2], '*', 'change', ARGV[i]) end
        if ARGV[2] == '' then redis.call('HDEL', KEYS[1], 'cursor') else redis.call('HSET', KEYS[1], 'cursor', ARGV[2]) end
        redis.call('HINCRBY', KEYS[1], 'published', ARGV[3])
        return 1
        """;

    /// <summary>KEYS: job. ARGV: in-progress, final status, now (ticks), failure ('' none). 1 finished; 0 none in progress.</summary>
    public const string FinishBulkPublish = """
        if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'status', ARGV[2], 'completed', ARGV[3])
        if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'failure', ARGV[4]) end
        return 1
        """;
}
