using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdentityBroker.Sync;

/// <summary>
/// One entry of a pool's sync stream, as the store keeps it: its position (ascending per store: the SQLite row id, the
/// Redis Stream entry id) and the committed change. Appended in the change's own transaction when the pool's Cognito
/// Streams StreamingStatus is ENABLED; rendering it in Cognito Streams' record format is the reader's business.
/// </summary>
public sealed record SyncStreamEntry(string Position, SyncChange Change);

/// <summary>The one JSON form of a <see cref="SyncChange"/> in the stream (both stores write and read it).</summary>
public static class SyncChangeJson
{
    public static string Serialize(SyncChange change) => JsonSerializer.Serialize(change, SyncJsonContext.Default.SyncChange);

    public static SyncChange Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SyncJsonContext.Default.SyncChange) ?? throw new JsonException("A sync change is null.");
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SyncChange))]
internal sealed partial class SyncJsonContext : JsonSerializerContext;

/// <summary>Source-generated JSON of the sync documents the stores keep (pool settings, devices).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncPoolSettings))]
[JsonSerializable(typeof(SyncDevice))]
[JsonSerializable(typeof(SyncDataset))]
[JsonSerializable(typeof(SyncRecordState))]
public sealed partial class SyncStoreJsonContext : JsonSerializerContext;
