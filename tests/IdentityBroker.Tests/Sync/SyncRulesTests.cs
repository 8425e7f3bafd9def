using IdentityBroker.Sync;
using IdentityBroker.Tests.Validation;

namespace IdentityBroker.Tests.Sync;

public sealed class SyncRulesTests
{
    private static readonly ServiceModel Model = ServiceModel.Sync;

    [Test]
    public void Name_limits_are_the_cognito_sync_models()
    {
        Assert.That(Model.Shape("DatasetName").Max, Is.EqualTo(SyncNames.MaxDatasetNameLength));
        Assert.That(Model.Shape("DatasetName").Pattern, Is.EqualTo("[a-zA-Z0-9_.:-]+"));
        Assert.That(Model.Shape("RecordKey").Max, Is.EqualTo(SyncNames.MaxRecordKeyLength));
        Assert.That(Model.Shape("RecordValue").Max, Is.EqualTo(SyncNames.MaxRecordValueLength));
        Assert.That(Model.Shape("DeviceId").Max, Is.EqualTo(SyncNames.MaxDeviceIdLength));
        Assert.That(Model.Shape("Platform").Enum, Is.EqualTo(SyncNames.Platforms));
        Assert.That(SyncNames.IsDatasetName(new string('a', 128)), Is.True);
        Assert.That(SyncNames.IsDatasetName(new string('a', 129)), Is.False);
        Assert.That(SyncNames.IsDatasetName("with space"), Is.False);
        Assert.That(SyncNames.IsDatasetName(""), Is.False);
    }

    [Test]
    public void A_merged_datasets_name_fits_128_characters_and_keeps_the_merged_identity_whole()
    {
        var identity = "us-east-1:" + Guid.NewGuid();
        Assert.That(SyncWritePlan.MergedName("notes", identity), Is.EqualTo("notes." + identity));
        var longName = SyncWritePlan.MergedName(new string('n', 128), identity);
        Assert.That(longName, Has.Length.EqualTo(128));
        Assert.That(longName, Does.EndWith("." + identity));
        Assert.That(SyncNames.IsDatasetName(longName), Is.True);
    }

    [Test]
    public void Record_cursors_round_trip_and_refuse_foreign_tokens()
    {
        var record = new SyncRecordState("key/with/slash", "v", 7, DateTimeOffset.UnixEpoch, null, null, false);
        Assert.That(RecordCursor.Decode(RecordCursor.Encode(record)), Is.EqualTo(((long)7, "key/with/slash")));
        Assert.That(RecordCursor.Decode("not a token"), Is.Null);
        Assert.That(RecordCursor.Decode("eA"), Is.Null, "base64url of 'x': no count");
        Assert.That(RecordCursor.IsAfter(record with { SyncCount = 8, Key = "a" }, (7, "zzz")), Is.True);
        Assert.That(RecordCursor.IsAfter(record with { Key = "a" }, (7, "key/with/slash")), Is.False);
    }

    [Test]
    public void Patches_are_refused_as_the_model_says()
    {
        SyncPatchInput Ok(string key) => new("replace", key, "v", 0, null);
        Assert.That(SyncPatchRules.Parse([Ok("a"), Ok("b")], "device", null).IsSuccess, Is.True);
        Assert.That(SyncPatchRules.Parse([], null, null).Error!.Type, Is.EqualTo("InvalidParameterException"));
        Assert.That(SyncPatchRules.Parse([Ok("a"), Ok("a")], null, null).Error!.Message, Does.Contain("twice"));
        Assert.That(SyncPatchRules.Parse([Ok("a") with { Op = "add" }], null, null).IsSuccess, Is.False);
        Assert.That(SyncPatchRules.Parse([Ok("a") with { SyncCount = null }], null, null).IsSuccess, Is.False);
        Assert.That(SyncPatchRules.Parse([Ok(new string('k', 1025))], null, null).IsSuccess, Is.False);
        Assert.That(SyncPatchRules.Parse([Ok("a")], new string('d', 257), null).IsSuccess, Is.False);
        Assert.That(SyncPatchRules.Parse([Ok("a")], null, "%%%").IsSuccess, Is.False);
        var removed = SyncPatchRules.Parse([Ok("a") with { Op = "remove" }], null, null).Value.Single();
        Assert.That(removed.Value, Is.Null);
    }

    [Test]
    public void A_dataset_counts_as_deleted_after_a_requested_count_from_before_its_last_deletion()
    {
        Assert.That(SyncOperations.DeletedAfter(lastSyncCount: 5, deletedSyncCount: 7), Is.True, "synced 5, deleted at 7");
        Assert.That(SyncOperations.DeletedAfter(lastSyncCount: 7, deletedSyncCount: 7), Is.True, "synced the last state before the deletion");
        Assert.That(SyncOperations.DeletedAfter(lastSyncCount: 8, deletedSyncCount: 7), Is.False, "synced the dataset made again");
        Assert.That(SyncOperations.DeletedAfter(lastSyncCount: 0, deletedSyncCount: 7), Is.False, "never synced: nothing to drop");
        Assert.That(SyncOperations.DeletedAfter(lastSyncCount: 3, deletedSyncCount: 0), Is.False, "never deleted");
    }

    [Test]
    public void A_new_dataset_counts_on_from_the_count_it_was_deleted_at()
    {
        var write = new SyncWrite("pool", "id", "d", null, "id", [new SyncRecordPatch("k", "v", 0, null)], DateTimeOffset.UnixEpoch, SyncLimits.Cognito);
        Assert.That(SyncWritePlan.Plan(write, null, new Dictionary<string, SyncRecordState>(), 0, deletedSyncCount: 7).After!.SyncCount, Is.EqualTo(8));
        Assert.That(SyncWritePlan.Plan(write, null, new Dictionary<string, SyncRecordState>(), 0).After!.SyncCount, Is.EqualTo(1));
    }
}
