using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Tests.Sync.Delivery;

[TestFixture]
public sealed class CognitoStreamRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    internal static SyncChange Change(SyncChangeKind kind = SyncChangeKind.Update, params SyncRecordState[] records) => new(
        "us-east-1:11111111-2222-3333-4444-555555555555", "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "settings", 7, "device-a",
        records.Length == 0 ? [new SyncRecordState("theme", "dark", 7, T0, "device-a", T0.AddSeconds(-3), false)] : records, kind, T0);

    private static JsonObject Render(SyncChange change)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            CognitoStreamRecord.Write(json, change);
        }

        return JsonNode.Parse(buffer.ToArray())!.AsObject();
    }

    [Test]
    public void An_update_is_a_replace_record_with_its_records_and_times_in_unix_milliseconds()
    {
        var record = Render(Change());
        Assert.Multiple(() =>
        {
            Assert.That((string?)record["identityPoolId"], Is.EqualTo("us-east-1:11111111-2222-3333-4444-555555555555"));
            Assert.That((string?)record["identityId"], Is.EqualTo("us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"));
            Assert.That((string?)record["dataSetName"], Is.EqualTo("settings"));
            Assert.That((string?)record["operation"], Is.EqualTo("replace"));
            Assert.That((long?)record["lastModifiedDate"], Is.EqualTo(T0.ToUnixTimeMilliseconds()));
            Assert.That((string?)record["payloadType"], Is.EqualTo("Inline"));
            Assert.That((long?)record["syncCount"], Is.EqualTo(7));
            Assert.That(record.ContainsKey("kinesisSyncRecordsURL"), Is.False, "inline records carry no S3 URL");
            var item = record["kinesisSyncRecords"]!.AsArray().Single()!.AsObject();
            Assert.That((string?)item["key"], Is.EqualTo("theme"));
            Assert.That((string?)item["value"], Is.EqualTo("dark"));
            Assert.That((long?)item["syncCount"], Is.EqualTo(7));
            Assert.That((long?)item["lastModifiedDate"], Is.EqualTo(T0.ToUnixTimeMilliseconds()));
            Assert.That((long?)item["deviceLastModifiedDate"], Is.EqualTo(T0.AddSeconds(-3).ToUnixTimeMilliseconds()));
            Assert.That((string?)item["op"], Is.EqualTo("replace"));
        });
    }

    [Test]
    public void A_removed_record_is_op_remove_without_a_value()
    {
        var record = Render(Change(SyncChangeKind.Update, new SyncRecordState("theme", null, 8, T0, "device-a", null, true)));
        var item = record["kinesisSyncRecords"]!.AsArray().Single()!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)item["op"], Is.EqualTo("remove"));
            Assert.That(item.ContainsKey("value"), Is.False);
            Assert.That(item.ContainsKey("deviceLastModifiedDate"), Is.False);
        });
    }

    [Test]
    public void A_deleted_dataset_is_operation_remove()
    {
        var record = Render(Change(SyncChangeKind.DeleteDataset) with { Records = [] });
        Assert.Multiple(() =>
        {
            Assert.That((string?)record["operation"], Is.EqualTo("remove"));
            Assert.That(record["kinesisSyncRecords"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public void An_entry_carries_its_position_beside_the_record()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            CognitoStreamRecord.WriteEntry(json, new SyncStreamEntry("42", Change()));
        }

        var entry = JsonNode.Parse(buffer.ToArray())!.AsObject();
        Assert.That((string?)entry["Position"], Is.EqualTo("42"));
        Assert.That((string?)entry["Record"]!["dataSetName"], Is.EqualTo("settings"));
    }
}
