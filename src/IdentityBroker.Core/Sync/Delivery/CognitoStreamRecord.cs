using System.Text.Json;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// Writes a stream entry in Cognito Streams' record format: one record per synchronization, with the pool, identity and
/// dataset, <c>operation</c> (<c>replace</c>, or <c>remove</c> for a deleted dataset), the records the change wrote
/// (<c>kinesisSyncRecords</c>, each with its own <c>op</c>), the dataset's sync count and the change time in Unix
/// milliseconds. AWS moves a record over Kinesis' 50 KB limit to S3 and sends <c>payloadType: S3Url</c>; the broker has no
/// S3 and no such limit, so every record is <c>Inline</c> and <c>kinesisSyncRecordsURL</c> is never written.
/// </summary>
public static class CognitoStreamRecord
{
    public const string Inline = "Inline";

    /// <summary>The record alone, as a Kinesis consumer would read it from the stream's data.</summary>
    public static void Write(Utf8JsonWriter json, SyncChange change)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(change);
        json.WriteStartObject();
        json.WriteString("identityPoolId", change.IdentityPoolId);
        json.WriteString("identityId", change.IdentityId);
        json.WriteString("dataSetName", change.DatasetName);
        json.WriteString("operation", change.Kind == SyncChangeKind.DeleteDataset ? "remove" : "replace");
        json.WriteStartArray("kinesisSyncRecords");
        foreach (var record in change.Records)
        {
            WriteRecord(json, record);
        }

        json.WriteEndArray();
        json.WriteNumber("lastModifiedDate", change.Time.ToUnixTimeMilliseconds());
        json.WriteString("payloadType", Inline);
        json.WriteNumber("syncCount", change.DatasetSyncCount);
        json.WriteEndObject();
    }

    /// <summary>One stream entry as the admin API and the JSON-lines export give it: its position, then the record.</summary>
    public static void WriteEntry(Utf8JsonWriter json, SyncStreamEntry entry)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(entry);
        json.WriteStartObject();
        json.WriteString("Position", entry.Position);
        json.WritePropertyName("Record");
        Write(json, entry.Change);
        json.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter json, SyncRecordState record)
    {
        json.WriteStartObject();
        json.WriteString("key", record.Key);
        if (record.Value is { } value)
        {
            json.WriteString("value", value);
        }

        json.WriteNumber("syncCount", record.SyncCount);
        json.WriteNumber("lastModifiedDate", record.LastModifiedDate.ToUnixTimeMilliseconds());
        if (record.DeviceLastModifiedDate is { } device)
        {
            json.WriteNumber("deviceLastModifiedDate", device.ToUnixTimeMilliseconds());
        }

        json.WriteString("op", record.Deleted ? "remove" : "replace");
        json.WriteEndObject();
    }
}
