using System.Text.Json.Serialization;
using IdentityBroker.Identities;
using IdentityBroker.Sync;

namespace IdentityBroker.Server.Sync;

// Cognito Sync's REST-JSON bodies (cognito-sync model): member names as the model spells them, timestamps as epoch seconds.

internal sealed class UpdateRecordsBody
{
    public string? DeviceId { get; set; }

    public List<RecordPatchBody>? RecordPatches { get; set; }

    public string? SyncSessionToken { get; set; }
}

internal sealed class RecordPatchBody
{
    public string? Op { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }

    public long? SyncCount { get; set; }

    public double? DeviceLastModifiedDate { get; set; }
}

internal sealed class PushSyncBody
{
    public List<string>? ApplicationArns { get; set; }

    public string? RoleArn { get; set; }
}

internal sealed class CognitoStreamsBody
{
    public string? StreamName { get; set; }

    public string? RoleArn { get; set; }

    public string? StreamingStatus { get; set; }
}

internal sealed class ConfigurationBody
{
    public string? IdentityPoolId { get; set; }

    public PushSyncBody? PushSync { get; set; }

    public CognitoStreamsBody? CognitoStreams { get; set; }
}

internal sealed class RegisterDeviceBody
{
    public string? Platform { get; set; }

    public string? Token { get; set; }
}

internal sealed class EventsBody
{
    public Dictionary<string, string>? Events { get; set; }
}

internal sealed class DatasetBody
{
    public string? IdentityId { get; set; }

    public string? DatasetName { get; set; }

    public double? CreationDate { get; set; }

    public double? LastModifiedDate { get; set; }

    public string? LastModifiedBy { get; set; }

    public long? DataStorage { get; set; }

    public long? NumRecords { get; set; }

    public static DatasetBody From(SyncDataset d) => new()
    {
        IdentityId = d.IdentityId,
        DatasetName = d.DatasetName,
        CreationDate = IdentityIds.EpochSeconds(d.CreationDate),
        LastModifiedDate = IdentityIds.EpochSeconds(d.LastModifiedDate),
        LastModifiedBy = d.LastModifiedBy,
        DataStorage = d.DataStorage,
        NumRecords = d.NumRecords,
    };
}

internal sealed class RecordBody
{
    public string? Key { get; set; }

    public string? Value { get; set; }

    public long SyncCount { get; set; }

    public double? LastModifiedDate { get; set; }

    public string? LastModifiedBy { get; set; }

    public double? DeviceLastModifiedDate { get; set; }

    public static RecordBody From(SyncRecordState r) => new()
    {
        Key = r.Key,
        Value = r.Value,
        SyncCount = r.SyncCount,
        LastModifiedDate = IdentityIds.EpochSeconds(r.LastModifiedDate),
        LastModifiedBy = r.LastModifiedBy,
        DeviceLastModifiedDate = r.DeviceLastModifiedDate is { } device ? IdentityIds.EpochSeconds(device) : null,
    };
}

internal sealed class DatasetReply
{
    public DatasetBody? Dataset { get; set; }
}

internal sealed class ListDatasetsReply
{
    public List<DatasetBody>? Datasets { get; set; }

    public int Count { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class ListRecordsReply
{
    public List<RecordBody>? Records { get; set; }

    public string? NextToken { get; set; }

    public int Count { get; set; }

    public long DatasetSyncCount { get; set; }

    public string? LastModifiedBy { get; set; }

    public List<string>? MergedDatasetNames { get; set; }

    public bool DatasetExists { get; set; }

    public bool DatasetDeletedAfterRequestedSyncCount { get; set; }

    public string? SyncSessionToken { get; set; }
}

internal sealed class RecordsReply
{
    public List<RecordBody>? Records { get; set; }
}

internal sealed class IdentityUsageBody
{
    public string? IdentityId { get; set; }

    public string? IdentityPoolId { get; set; }

    public double? LastModifiedDate { get; set; }

    public int DatasetCount { get; set; }

    public long DataStorage { get; set; }
}

internal sealed class IdentityUsageReply
{
    public IdentityUsageBody? IdentityUsage { get; set; }
}

internal sealed class PoolUsageBody
{
    public string? IdentityPoolId { get; set; }

    public long SyncSessionsCount { get; set; }

    public long DataStorage { get; set; }

    public double? LastModifiedDate { get; set; }

    public static PoolUsageBody From(SyncPoolUsage u) => new()
    {
        IdentityPoolId = u.IdentityPoolId,
        SyncSessionsCount = u.SyncSessionsCount,
        DataStorage = u.DataStorage,
        LastModifiedDate = u.LastModifiedDate is { } modified ? IdentityIds.EpochSeconds(modified) : null,
    };
}

internal sealed class PoolUsageReply
{
    public PoolUsageBody? IdentityPoolUsage { get; set; }
}

internal sealed class ListPoolUsageReply
{
    public List<PoolUsageBody>? IdentityPoolUsages { get; set; }

    public int MaxResults { get; set; }

    public int Count { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class DeviceReply
{
    public string? DeviceId { get; set; }
}

internal sealed class PoolReply
{
    public string? IdentityPoolId { get; set; }
}

internal sealed class BulkPublishDetailsReply
{
    public string? IdentityPoolId { get; set; }

    public double? BulkPublishStartTime { get; set; }

    public double? BulkPublishCompleteTime { get; set; }

    public string? BulkPublishStatus { get; set; }

    public string? FailureMessage { get; set; }
}

internal sealed class EmptyBody;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UpdateRecordsBody))]
[JsonSerializable(typeof(ConfigurationBody))]
[JsonSerializable(typeof(RegisterDeviceBody))]
[JsonSerializable(typeof(EventsBody))]
[JsonSerializable(typeof(DatasetReply))]
[JsonSerializable(typeof(ListDatasetsReply))]
[JsonSerializable(typeof(ListRecordsReply))]
[JsonSerializable(typeof(RecordsReply))]
[JsonSerializable(typeof(IdentityUsageReply))]
[JsonSerializable(typeof(PoolUsageReply))]
[JsonSerializable(typeof(ListPoolUsageReply))]
[JsonSerializable(typeof(DeviceReply))]
[JsonSerializable(typeof(PoolReply))]
[JsonSerializable(typeof(BulkPublishDetailsReply))]
[JsonSerializable(typeof(EmptyBody))]
internal sealed partial class SyncWireJsonContext : JsonSerializerContext;
