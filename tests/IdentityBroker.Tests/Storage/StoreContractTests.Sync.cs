using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.Sync;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private ISyncStore Sync => Store.Pools as ISyncStore ?? throw new AssertionException("The store does not implement ISyncStore.");

    private static SyncWrite Write(string poolId, string identityId, string dataset, DateTimeOffset at, params (string Key, string? Value, long Expected)[] patches) =>
        new(poolId, identityId, dataset, "device-a", identityId, [.. patches.Select(p => new SyncRecordPatch(p.Key, p.Value, p.Expected, at))], at,
            SyncLimits.Cognito);

    private async Task<(string PoolId, string IdentityId)> SyncIdentityAsync(bool streaming = false)
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId);
        if (streaming)
        {
            await Sync.PutSyncSettingsAsync(new SyncPoolSettings
            {
                IdentityPoolId = pool.IdentityPoolId,
                CognitoStreams = new SyncStreamSettings("stream", "arn:aws:iam::000000000000:role/streams", SyncStreamSettings.Enabled),
            }, None);
        }

        return (pool.IdentityPoolId, identity.IdentityId);
    }

    [Test]
    public async Task Sync_writes_count_up_list_after_a_sync_count_and_survive_a_reopen()
    {
        var (pool, id) = await SyncIdentityAsync();
        var first = await Sync.UpdateRecordsAsync(Write(pool, id, "settings", T0, ("theme", "dark", 0), ("lang", "en", 0)), None);
        var second = await Sync.UpdateRecordsAsync(Write(pool, id, "settings", T0.AddMinutes(1), ("theme", null, 1)), None);
        await ReopenAsync();

        Assert.That(first.Kind, Is.EqualTo(SyncWriteKind.Written));
        Assert.That(second.Change!.Records.Single(), Is.EqualTo(new SyncRecordState("theme", null, 2, T0.AddMinutes(1), id, T0.AddMinutes(1), true)));
        var dataset = await Sync.GetDatasetAsync(pool, id, "settings", None);
        Assert.That(dataset, Is.EqualTo(new SyncDataset(pool, id, "settings", T0, T0.AddMinutes(1), id, SyncWritePlan.Size("lang", "en"), 1, 2)));
        var all = await Sync.ListRecordsAsync(pool, id, "settings", 0, None);
        Assert.That(all.Select(r => (r.Key, r.SyncCount, r.Deleted)), Is.EqualTo(new[] { ("lang", 1L, false), ("theme", 2L, true) }));
        var since = await Sync.ListRecordsAsync(pool, id, "settings", 1, None);
        Assert.That(since.Select(r => r.Key), Is.EqualTo(new[] { "theme" }), "only what changed after sync count 1");
        Assert.That((await Sync.ListDatasetsAsync(pool, id, None)).Select(d => d.DatasetName), Is.EqualTo(new[] { "settings" }));
    }

    [Test]
    public async Task A_stale_sync_count_is_a_conflict_that_writes_nothing()
    {
        var (pool, id) = await SyncIdentityAsync();
        await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0, ("a", "1", 0)), None);

        var stale = await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0.AddMinutes(1), ("b", "new", 0), ("a", "2", 0)), None);

        Assert.That(stale, Is.EqualTo(new SyncWriteOutcome(SyncWriteKind.Conflict, ConflictKey: "a", CurrentSyncCount: 1)));
        Assert.That((await Sync.ListRecordsAsync(pool, id, "d", 0, None)).Select(r => (r.Key, r.Value)), Is.EqualTo(new[] { ("a", (string?)"1") }),
            "the good patch of the refused call is not written either");
        Assert.That((await Sync.GetDatasetAsync(pool, id, "d", None))!.SyncCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Sync_limits_allow_exactly_twenty_datasets_and_one_megabyte()
    {
        var (pool, id) = await SyncIdentityAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.That((await Sync.UpdateRecordsAsync(Write(pool, id, $"ds{i}", T0, ("k", "v", 0)), None)).Kind, Is.EqualTo(SyncWriteKind.Written));
        }

        Assert.That((await Sync.UpdateRecordsAsync(Write(pool, id, "ds20", T0, ("k", "v", 0)), None)).Kind, Is.EqualTo(SyncWriteKind.TooManyDatasets));
        Assert.That(await Sync.GetDatasetAsync(pool, id, "ds20", None), Is.Null);

        var full = new string('x', (1024 * 1024) - 1);
        Assert.That((await Sync.UpdateRecordsAsync(Write(pool, id, "ds0", T0, ("k", null, 1), ("big", full, 0)), None)).Kind,
            Is.EqualTo(SyncWriteKind.DatasetTooLarge), "big and its value are two bytes over");
        Assert.That((await Sync.UpdateRecordsAsync(Write(pool, id, "ds0", T0, ("k", null, 1), ("b", full, 0)), None)).Kind,
            Is.EqualTo(SyncWriteKind.Written), "1 + 1048575 bytes is exactly 1 MB");
        Assert.That((await Sync.GetDatasetAsync(pool, id, "ds0", None))!.DataStorage, Is.EqualTo(1024 * 1024));
        Assert.That((await Sync.UpdateRecordsAsync(Write(pool, id, "ds0", T0, ("c", "", 0)), None)).Kind, Is.EqualTo(SyncWriteKind.DatasetTooLarge));
    }

    [Test]
    public async Task Deleting_a_dataset_frees_its_place_and_its_storage()
    {
        var (pool, id) = await SyncIdentityAsync();
        await Sync.UpdateRecordsAsync(Write(pool, id, "gone", T0, ("a", "12345", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, id, "kept", T0.AddMinutes(2), ("b", "1", 0)), None);
        Assert.That((await Sync.GetPoolUsageAsync(pool, None)).DataStorage, Is.EqualTo(8));

        var deleted = await Sync.DeleteDatasetAsync(pool, id, "gone", T0.AddMinutes(3), None);

        Assert.That(deleted!.DatasetName, Is.EqualTo("gone"));
        Assert.That(await Sync.DeleteDatasetAsync(pool, id, "gone", T0.AddMinutes(3), None), Is.Null);
        Assert.That(await Sync.ListRecordsAsync(pool, id, "gone", 0, None), Is.Empty);
        Assert.That(await Sync.GetPoolUsageAsync(pool, None), Is.EqualTo(new SyncPoolUsage(pool, 2, T0.AddMinutes(2))));
        Assert.That(await Sync.GetDeletedSyncCountAsync(pool, id, "gone", None), Is.EqualTo(1));
        Assert.That(await Sync.GetDeletedSyncCountAsync(pool, id, "kept", None), Is.Zero);
        var again = await Sync.UpdateRecordsAsync(Write(pool, id, "gone", T0.AddMinutes(4), ("a", "x", 0)), None);
        Assert.That(again.Change!.DatasetSyncCount, Is.EqualTo(2), "a dataset made again counts on from its deletion");
        Assert.That((await Sync.GetDatasetAsync(pool, id, "gone", None))!.CreationDate, Is.EqualTo(T0.AddMinutes(4)), "but is a new dataset");
    }

    [Test]
    public async Task A_dataset_deleted_twice_remembers_the_last_deletions_count()
    {
        var (pool, id) = await SyncIdentityAsync();
        await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0, ("a", "1", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0, ("a", "2", 1)), None);
        await Sync.DeleteDatasetAsync(pool, id, "d", T0, None);
        await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0, ("a", "3", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0, ("a", "4", 3)), None);
        await Sync.DeleteDatasetAsync(pool, id, "d", T0, None);
        await ReopenAsync();

        Assert.That(await Sync.GetDeletedSyncCountAsync(pool, id, "d", None), Is.EqualTo(4));
        Assert.That((await Sync.UpdateRecordsAsync(Write(pool, id, "d", T0, ("a", "5", 0)), None)).Change!.DatasetSyncCount, Is.EqualTo(5));
    }

    [Test]
    public async Task Sync_sessions_are_counted_per_pool_and_reported_with_its_usage()
    {
        var (pool, _) = await SyncIdentityAsync();
        var other = (await CreatePoolAsync()).IdentityPoolId;
        Assert.That((await Sync.GetPoolUsageAsync(pool, None)).SyncSessionsCount, Is.Zero);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Sync.CountSyncSessionAsync(pool, None)));
        await Sync.CountSyncSessionAsync(other, None);
        await ReopenAsync();

        Assert.That((await Sync.GetPoolUsageAsync(pool, None)).SyncSessionsCount, Is.EqualTo(5));
        Assert.That((await Sync.GetPoolUsageAsync(other, None)).SyncSessionsCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Racing_writers_of_one_record_one_wins_the_others_conflict_and_nothing_is_half_written()
    {
        var (pool, id) = await SyncIdentityAsync(streaming: true);
        var writers = Enumerable.Range(0, 12).Select(i => Write(pool, id, "race", T0, ("shared", $"writer-{i}", 0), ($"own-{i}", "x", 0))).ToList();

        var (outcomes, _) = await RunTogetherAsync(writers, w => Sync.UpdateRecordsAsync(w, None));

        Assert.That(outcomes.Count(o => o.Kind == SyncWriteKind.Written), Is.EqualTo(1));
        Assert.That(outcomes.Where(o => o.Kind != SyncWriteKind.Written).Select(o => o.Kind), Is.All.EqualTo(SyncWriteKind.Conflict));
        var winner = Array.FindIndex(outcomes, o => o.Kind == SyncWriteKind.Written);
        var records = await Sync.ListRecordsAsync(pool, id, "race", 0, None);
        Assert.That(records.Select(r => (r.Key, r.Value)), Is.EquivalentTo(new[] { ($"own-{winner}", (string?)"x"), ("shared", $"writer-{winner}") }));
        Assert.That((await Sync.GetDatasetAsync(pool, id, "race", None))!.SyncCount, Is.EqualTo(1));
        Assert.That(await Sync.ReadSyncStreamAsync(pool, null, 100, None), Has.Count.EqualTo(1), "one stream entry, the winner's");
    }

    [Test]
    public async Task Racing_writers_of_different_records_all_land_one_sync_count_each()
    {
        var (pool, id) = await SyncIdentityAsync();
        await Sync.UpdateRecordsAsync(Write(pool, id, "many", T0, ("seed", "0", 0)), None);
        var writers = Enumerable.Range(0, 10).Select(i => Write(pool, id, "many", T0, ($"k{i}", "v", 0))).ToList();

        var (outcomes, _) = await RunTogetherAsync(writers, w => Sync.UpdateRecordsAsync(w, None));

        Assert.That(outcomes.Select(o => o.Kind), Is.All.EqualTo(SyncWriteKind.Written));
        Assert.That(outcomes.Select(o => o.Change!.DatasetSyncCount), Is.EquivalentTo(Enumerable.Range(2, 10).Select(i => (long)i)));
        var dataset = await Sync.GetDatasetAsync(pool, id, "many", None);
        Assert.That((dataset!.SyncCount, dataset.NumRecords), Is.EqualTo((11L, 11L)));
    }

    [Test]
    public async Task The_stream_holds_committed_changes_in_order_only_while_streaming_is_enabled()
    {
        var (pool, id) = await SyncIdentityAsync(streaming: true);
        await Sync.UpdateRecordsAsync(Write(pool, id, "s", T0, ("a", "1", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, id, "s", T0, ("a", "2", 0)), None); // a conflict: not streamed
        await Sync.UpdateRecordsAsync(Write(pool, id, "s", T0.AddMinutes(1), ("a", "2", 1)), None);
        await Sync.DeleteDatasetAsync(pool, id, "s", T0.AddMinutes(2), None);
        await Sync.PutSyncSettingsAsync(new SyncPoolSettings { IdentityPoolId = pool }, None);
        await Sync.UpdateRecordsAsync(Write(pool, id, "s", T0.AddMinutes(3), ("a", "3", 0)), None);
        await ReopenAsync();

        var entries = await Sync.ReadSyncStreamAsync(pool, null, 100, None);
        Assert.That(entries.Select(e => (e.Change.Kind, e.Change.DatasetSyncCount)),
            Is.EqualTo(new[] { (SyncChangeKind.Update, 1L), (SyncChangeKind.Update, 2L), (SyncChangeKind.DeleteDataset, 2L) }));
        Assert.That(entries[1].Change.Records.Single(), Is.EqualTo(new SyncRecordState("a", "2", 2, T0.AddMinutes(1), id, T0.AddMinutes(1), false)));
        Assert.That((await Sync.ReadSyncStreamAsync(pool, entries[0].Position, 100, None)).Select(e => e.Position),
            Is.EqualTo(entries.Skip(1).Select(e => e.Position)), "reading resumes after a position");
        Assert.That(await Sync.ReadSyncStreamAsync(NewPoolId(), null, 100, None), Is.Empty);
    }

    [Test]
    public async Task Logins_merging_identities_move_the_merged_datasets_renaming_a_clashing_name_and_keeping_every_record()
    {
        var pool = (await CreatePoolAsync()).IdentityPoolId;
        var survivor = (await Store.Identities.ResolveLoginsAsync(Candidate(pool, T0), [Google("g-1")], Later, None)).Identity!.IdentityId;
        var merged = (await Store.Identities.ResolveLoginsAsync(Candidate(pool, T0.AddMinutes(1)), [Facebook("f-1")], Later, None)).Identity!.IdentityId;
        await Sync.UpdateRecordsAsync(Write(pool, survivor, "profile", T0, ("name", "kept", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, merged, "profile", T0, ("name", "moved", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, merged, "games", T0, ("level", "7", 0)), None);
        await Sync.UpdateRecordsAsync(Write(pool, merged, "games", T0, ("level", "8", 1)), None);

        var resolution = await Store.Identities.ResolveLoginsAsync(Candidate(pool), [Google("g-1"), Facebook("f-1")], Later, None);

        Assert.That((resolution.Kind, resolution.Identity!.IdentityId), Is.EqualTo((LoginResolutionKind.Merged, survivor)));
        var renamed = SyncWritePlan.MergedName("profile", merged);
        Assert.That((await Sync.ListDatasetsAsync(pool, survivor, None)).Select(d => d.DatasetName), Is.EquivalentTo(new[] { "games", "profile", renamed }));
        Assert.That(await Sync.ListDatasetsAsync(pool, merged, None), Is.Empty);
        Assert.That((await Sync.ListRecordsAsync(pool, survivor, renamed, 0, None)).Single().Value, Is.EqualTo("moved"));
        Assert.That((await Sync.ListRecordsAsync(pool, survivor, "profile", 0, None)).Single().Value, Is.EqualTo("kept"));
        var games = await Sync.GetDatasetAsync(pool, survivor, "games", None);
        Assert.That((games!.IdentityId, games.SyncCount, games.NumRecords), Is.EqualTo((survivor, 2L, 1L)), "counts unchanged");
        Assert.That((await Sync.UpdateRecordsAsync(Write(pool, survivor, "games", T0, ("level", "9", 2)), None)).Change!.DatasetSyncCount,
            Is.EqualTo(3), "the survivor writes on at the moved count");
    }

    [Test]
    public async Task Merging_developer_identities_moves_the_sources_datasets_in_the_same_step()
    {
        var pool = (await CreatePoolAsync()).IdentityPoolId;
        var destination = await CreateIdentityAsync(pool, Dev("d"));
        var source = await CreateIdentityAsync(pool, Dev("s"));
        await Sync.UpdateRecordsAsync(Write(pool, source.IdentityId, "notes", T0, ("n", "1", 0)), None);

        var merge = await Store.Identities.MergeIdentitiesAsync(pool, Dev("d"), Dev("s"), Developer, Later, None);

        Assert.That(merge.Kind, Is.EqualTo(IdentityMergeKind.Merged));
        Assert.That((await Sync.ListRecordsAsync(pool, destination.IdentityId, "notes", 0, None)).Single().Value, Is.EqualTo("1"));
        Assert.That(await Sync.ListDatasetsAsync(pool, source.IdentityId, None), Is.Empty);
    }

    [Test]
    public async Task A_merge_whose_dataset_move_fails_merges_nothing()
    {
        var pool = (await CreatePoolAsync()).IdentityPoolId;
        var destination = await CreateIdentityAsync(pool, Dev("d"));
        var source = await CreateIdentityAsync(pool, Dev("s"));
        await Sync.UpdateRecordsAsync(Write(pool, source.IdentityId, "notes", T0, ("n", "1", 0)), None);
        await BreakSyncDatasetMovesAsync(pool, source.IdentityId);

        Assert.CatchAsync(async () => await Store.Identities.MergeIdentitiesAsync(pool, Dev("d"), Dev("s"), Developer, Later, None));

        AssertSameIdentity(await Store.Identities.GetIdentityAsync(source.IdentityId, None), source);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(destination.IdentityId, None), destination);
        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool, Dev("s"), None), Is.EqualTo(source.IdentityId));
        Assert.That((await Sync.ListDatasetsAsync(pool, source.IdentityId, None)).Select(d => d.DatasetName), Is.EqualTo(new[] { "notes" }));
        Assert.That(await Sync.ListDatasetsAsync(pool, destination.IdentityId, None), Is.Empty);
    }

    /// <summary>
    /// Makes the next move of <paramref name="identityId"/>'s datasets fail inside the merge's own write (after the
    /// identity rewrite would have been decided), as a store fault would.
    /// </summary>
    protected abstract Task BreakSyncDatasetMovesAsync(string poolId, string identityId);

    [Test]
    public async Task Devices_subscriptions_and_settings_are_stored()
    {
        var (pool, id) = await SyncIdentityAsync();
        var device = new SyncDevice(pool, id, "device-1", "GCM", "token-1");
        await Sync.PutDeviceAsync(device, None);
        await Sync.PutDeviceAsync(device with { DeviceId = "device-2", Platform = "APNS" }, None);
        await Sync.SetSubscriptionAsync(pool, id, "d", "device-1", true, None);
        await Sync.SetSubscriptionAsync(pool, id, "d", "device-2", true, None);
        await Sync.SetSubscriptionAsync(pool, id, "d", "device-2", false, None);
        var settings = new SyncPoolSettings
        {
            IdentityPoolId = pool,
            PushSync = new SyncPushSettings(["arn:aws:sns:us-east-1:000000000000:app/GCM/app"], "arn:aws:iam::000000000000:role/push"),
            Events = new Dictionary<string, string> { ["SyncTrigger"] = "arn:aws:lambda:us-east-1:000000000000:function:f" },
        };
        await Sync.PutSyncSettingsAsync(settings, None);
        await ReopenAsync();

        Assert.That(await Sync.GetDeviceAsync(pool, id, "device-1", None), Is.EqualTo(device));
        Assert.That(await Sync.GetDeviceAsync(pool, id, "device-3", None), Is.Null);
        Assert.That(await Sync.ListSubscribersAsync(pool, id, "d", None), Is.EqualTo(new[] { device }));
        var stored = await Sync.GetSyncSettingsAsync(pool, None);
        Assert.That(stored!.PushSync!.ApplicationArns, Is.EqualTo(settings.PushSync.ApplicationArns));
        Assert.That(stored.Events, Is.EqualTo(settings.Events));
        Assert.That(await Sync.GetSyncSettingsAsync(NewPoolId(), None), Is.Null);
    }
}
