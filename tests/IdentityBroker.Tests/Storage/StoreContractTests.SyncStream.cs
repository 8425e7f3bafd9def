using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Tests.Storage;

/// <summary>Bulk publish's storage (<see cref="ISyncBulkPublishStore"/>), over the core's sync data and stream.</summary>
public abstract partial class StoreContractTests
{
    private ISyncBulkPublishStore BulkPublish =>
        Store.Pools as ISyncBulkPublishStore ?? throw new AssertionException("The store does not implement ISyncBulkPublishStore.");

    private ISyncStore SyncData => Store.Pools as ISyncStore ?? throw new AssertionException("The store does not implement ISyncStore.");

    private async Task WriteRecordsAsync(string poolId, string identityId, string dataset, params (string Key, string? Value, long SyncCount)[] patches)
    {
        var write = new SyncWrite(poolId, identityId, dataset, "device-1", identityId,
            [.. patches.Select(p => new SyncRecordPatch(p.Key, p.Value, p.SyncCount, null))], T0, SyncLimits.Cognito);
        Assert.That((await SyncData.UpdateRecordsAsync(write, None)).Kind, Is.EqualTo(SyncWriteKind.Written));
    }

    private async Task<List<SyncChange>> ReadWholeSnapshotAsync(string poolId, int pageSize)
    {
        var all = new List<SyncChange>();
        string? cursor = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await BulkPublish.ReadSyncSnapshotAsync(poolId, cursor, pageSize, None);
            all.AddRange(page.Datasets);
            if (page.IsLast)
            {
                return all;
            }

            cursor = page.Cursor;
        }

        throw new AssertionException("The snapshot never ended.");
    }

    [Test]
    public async Task A_bulk_publish_runs_one_at_a_time_per_pool_and_once_per_interval_and_survives_a_reopen()
    {
        var poolId = NewPoolId();
        var interval = TimeSpan.FromHours(24);
        Assert.That(await BulkPublish.GetBulkPublishAsync(poolId, None), Is.Null);
        var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => BulkPublish.TryStartBulkPublishAsync(poolId, T0, T0 - interval, None))));
        Assert.That(starts.Count(s => s == BulkPublishStart.Started), Is.EqualTo(1), "one of the racing starts wins");
        Assert.That(starts.Where(s => s != BulkPublishStart.Started), Is.All.EqualTo(BulkPublishStart.AlreadyRunning));
        await ReopenAsync();

        Assert.That(await BulkPublish.GetBulkPublishAsync(poolId, None),
            Is.EqualTo(new BulkPublishJob(poolId, BulkPublishStatus.InProgress, T0, null, null, null, 0)));
        Assert.That((await BulkPublish.ListRunningBulkPublishesAsync(None)).Select(j => j.IdentityPoolId), Has.Member(poolId));
        Assert.That(await BulkPublish.FinishBulkPublishAsync(poolId, BulkPublishStatus.Succeeded, null, T0.AddMinutes(1), None), Is.True);
        Assert.That(await BulkPublish.FinishBulkPublishAsync(poolId, BulkPublishStatus.Failed, "late", T0.AddMinutes(2), None), Is.False, "not in progress");
        Assert.That((await BulkPublish.ListRunningBulkPublishesAsync(None)).Select(j => j.IdentityPoolId), Has.No.Member(poolId));

        var soon = T0.AddHours(23);
        Assert.That(await BulkPublish.TryStartBulkPublishAsync(poolId, soon, soon - interval, None), Is.EqualTo(BulkPublishStart.AlreadyStreamed));
        var later = T0.AddHours(25);
        Assert.That(await BulkPublish.TryStartBulkPublishAsync(poolId, later, later - interval, None), Is.EqualTo(BulkPublishStart.Started));
        Assert.That(await BulkPublish.GetBulkPublishAsync(poolId, None),
            Is.EqualTo(new BulkPublishJob(poolId, BulkPublishStatus.InProgress, later, null, null, null, 0)), "a new publish starts clean");
    }

    [Test]
    public async Task A_failed_bulk_publish_keeps_its_message_and_may_start_again()
    {
        var poolId = NewPoolId();
        await BulkPublish.TryStartBulkPublishAsync(poolId, T0, T0.AddDays(-1), None);
        await BulkPublish.FinishBulkPublishAsync(poolId, BulkPublishStatus.Failed, "stream gone", T0.AddMinutes(1), None);

        Assert.That(await BulkPublish.GetBulkPublishAsync(poolId, None),
            Is.EqualTo(new BulkPublishJob(poolId, BulkPublishStatus.Failed, T0, T0.AddMinutes(1), "stream gone", null, 0)));
        Assert.That(await BulkPublish.TryStartBulkPublishAsync(poolId, T0.AddMinutes(2), T0.AddDays(-1), None), Is.EqualTo(BulkPublishStart.Started));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(100)]
    public async Task The_snapshot_gives_every_dataset_of_the_pool_once_with_its_live_records(int pageSize)
    {
        var pool = await CreatePoolAsync();
        var other = await CreatePoolAsync();
        var identities = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var identity = await CreateIdentityAsync(pool.IdentityPoolId);
            identities.Add(identity.IdentityId);
            await WriteRecordsAsync(pool.IdentityPoolId, identity.IdentityId, "a", ("k", $"v{i}", 0), ("gone", "x", 0));
            await WriteRecordsAsync(pool.IdentityPoolId, identity.IdentityId, "b", ("k", "w", 0));
        }

        await CreateIdentityAsync(pool.IdentityPoolId);
        var stranger = await CreateIdentityAsync(other.IdentityPoolId);
        await WriteRecordsAsync(other.IdentityPoolId, stranger.IdentityId, "a", ("k", "elsewhere", 0));
        var removed = (await SyncData.ListRecordsAsync(pool.IdentityPoolId, identities[0], "a", 0, None)).Single(r => r.Key == "gone");
        await WriteRecordsAsync(pool.IdentityPoolId, identities[0], "a", ("gone", null, removed.SyncCount));

        var snapshot = await ReadWholeSnapshotAsync(pool.IdentityPoolId, pageSize);

        Assert.That(snapshot.Select(c => (c.IdentityId, c.DatasetName)),
            Is.EquivalentTo(identities.SelectMany(i => new[] { (i, "a"), (i, "b") })));
        var first = snapshot.Single(c => c.IdentityId == identities[0] && c.DatasetName == "a");
        var dataset = await SyncData.GetDatasetAsync(pool.IdentityPoolId, identities[0], "a", None);
        Assert.Multiple(() =>
        {
            Assert.That(first.Records.Select(r => (r.Key, r.Value)), Is.EqualTo(new[] { ("k", (string?)"v0") }), "a removed record is not published");
            Assert.That(first.Kind, Is.EqualTo(SyncChangeKind.Update));
            Assert.That(first.DatasetSyncCount, Is.EqualTo(dataset!.SyncCount));
            Assert.That(first.DeviceId, Is.Null);
            Assert.That(first.IdentityPoolId, Is.EqualTo(pool.IdentityPoolId));
        });
    }

    [Test]
    public async Task A_bulk_publish_page_is_appended_to_the_stream_once_with_its_cursor()
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId);
        await WriteRecordsAsync(pool.IdentityPoolId, identity.IdentityId, "a", ("k", "v", 0));
        await SyncData.PutSyncSettingsAsync(new SyncPoolSettings
        {
            IdentityPoolId = pool.IdentityPoolId,
            CognitoStreams = new SyncStreamSettings("s", "arn:aws:iam::000000000000:role/r", SyncStreamSettings.Enabled),
        }, None);
        var page = await BulkPublish.ReadSyncSnapshotAsync(pool.IdentityPoolId, null, 10, None);

        Assert.That(await BulkPublish.AppendBulkPublishAsync(pool.IdentityPoolId, null, page, None), Is.False, "no publish in progress");
        await BulkPublish.TryStartBulkPublishAsync(pool.IdentityPoolId, T0, T0.AddDays(-1), None);
        Assert.That(await BulkPublish.AppendBulkPublishAsync(pool.IdentityPoolId, null, page, None), Is.True);
        Assert.That(await BulkPublish.AppendBulkPublishAsync(pool.IdentityPoolId, null, page, None), Is.False, "the same page again is stale");
        await ReopenAsync();

        var stream = await SyncData.ReadSyncStreamAsync(pool.IdentityPoolId, null, 100, None);
        Assert.That(stream.Select(e => (e.Change.DatasetName, e.Change.Records.Single().Value)), Is.EqualTo(new[] { ("a", (string?)"v") }));
        var job = await BulkPublish.GetBulkPublishAsync(pool.IdentityPoolId, None);
        Assert.That(job!.Cursor, Is.EqualTo(page.Cursor));
        Assert.That(job.PublishedDatasets, Is.EqualTo(1));
        var rest = await BulkPublish.ReadSyncSnapshotAsync(pool.IdentityPoolId, job.Cursor, 10, None);
        Assert.That(rest.Datasets, Is.Empty);
        Assert.That(rest.IsLast, Is.True);
    }
}
