using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Sync;

namespace IdentityBroker.Server.Sync;

/// <summary>
/// Cognito Sync on the broker's port (docs/sync.md): REST-JSON under <c>/identitypools</c>, every operation signed. The path
/// names the operation (<see cref="SyncPaths"/>); <see cref="SyncAuthorization"/> decides who may call it; the body and
/// query string are bound here and the work is <see cref="SyncOperations"/>' and <see cref="SyncPoolOperations"/>'.
/// </summary>
internal sealed class SyncEndpoint(
    SyncOperations operations, SyncPoolOperations poolOperations, SyncAuthorization authorization, IServiceProvider services) : IAwsService
{
    public static readonly AwsRoute Route = AwsRoute.RestPath("cognito-sync", "/identitypools");

    public Result<AwsOperation> Find(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var target = SyncPaths.Match(call.Request.Method, call.Request.Path);
        return target.IsSuccess
            ? new AwsOperation(target.Value.Operation, requiresSignature: true, (c, ct) => HandleAsync(target.Value, c, ct))
            : target.Error!;
    }

    private async Task<ProtocolResponse> HandleAsync(SyncTarget target, AwsCall call, CancellationToken cancellationToken)
    {
        var refused = target.PoolLevel ? SyncAuthorization.Pool(call) : await authorization.IdentityAsync(call, target, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return call.Dialect.Error(refused, call.RequestId);
        }

        var query = QueryParameters.TryParse(ReadOnlySpan<byte>.Empty, call.Request.QueryString);
        if (query is null)
        {
            return call.Dialect.Error(SyncErrors.InvalidParameter("The query string could not be decoded."), call.RequestId);
        }

        try
        {
            return target.PoolLevel
                ? await PoolAsync(target, call, query, cancellationToken).ConfigureAwait(false)
                : await IdentityAsync(target, call, query, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return call.Dialect.Error(SyncErrors.InvalidParameter($"The request body is not valid JSON for {target.Operation}."), call.RequestId);
        }
    }

    private async Task<ProtocolResponse> IdentityAsync(SyncTarget t, AwsCall call, Dictionary<string, string> query, CancellationToken ct)
    {
        var (pool, id, name) = (t.PoolId!, t.IdentityId!, t.DatasetName ?? string.Empty);
        if (!TryInt(query, "maxResults", out var max) || !TryLong(query, "lastSyncCount", out var last))
        {
            return call.Dialect.Error(SyncErrors.InvalidParameter("maxResults and lastSyncCount are whole numbers."), call.RequestId);
        }

        var next = query.GetValueOrDefault("nextToken");
        switch (t.Operation)
        {
            case "ListDatasets":
                return Reply(call, await operations.ListDatasetsAsync(pool, id, max, next, ct).ConfigureAwait(false),
                    p => new ListDatasetsReply { Datasets = [.. p.Datasets.Select(DatasetBody.From)], Count = p.Datasets.Count, NextToken = p.NextToken },
                    SyncWireJsonContext.Default.ListDatasetsReply);
            case "DescribeDataset":
                return Reply(call, await operations.DescribeDatasetAsync(pool, id, name, ct).ConfigureAwait(false),
                    d => new DatasetReply { Dataset = DatasetBody.From(d) }, SyncWireJsonContext.Default.DatasetReply);
            case "DeleteDataset":
                return Reply(call, await operations.DeleteDatasetAsync(pool, id, name, ct).ConfigureAwait(false),
                    d => new DatasetReply { Dataset = DatasetBody.From(d) }, SyncWireJsonContext.Default.DatasetReply);
            case "ListRecords":
                return Reply(call, await operations.ListRecordsAsync(pool, id, name, last, max, next, ct).ConfigureAwait(false),
                    RecordsPage, SyncWireJsonContext.Default.ListRecordsReply);
            case "UpdateRecords":
                return await UpdateRecordsAsync(t, call, ct).ConfigureAwait(false);
            case "DescribeIdentityUsage":
                return Reply(call, await operations.DescribeIdentityUsageAsync(pool, id, ct).ConfigureAwait(false),
                    u => new IdentityUsageReply
                    {
                        IdentityUsage = new()
                        {
                            IdentityId = u.IdentityId, IdentityPoolId = u.IdentityPoolId, DatasetCount = u.DatasetCount, DataStorage = u.DataStorage,
                            LastModifiedDate = u.LastModifiedDate is { } m ? Identities.IdentityIds.EpochSeconds(m) : null,
                        },
                    }, SyncWireJsonContext.Default.IdentityUsageReply);
            case "RegisterDevice":
                var device = Read(call, SyncWireJsonContext.Default.RegisterDeviceBody);
                return Reply(call, await operations.RegisterDeviceAsync(pool, id, device.Platform, device.Token, ct).ConfigureAwait(false),
                    d => new DeviceReply { DeviceId = d }, SyncWireJsonContext.Default.DeviceReply);
            default:
                var subscribe = t.Operation == "SubscribeToDataset";
                var error = await operations.SetSubscriptionAsync(pool, id, name, t.DeviceId!, subscribe, ct).ConfigureAwait(false);
                return error is null ? Empty(call) : call.Dialect.Error(error, call.RequestId);
        }
    }

    private async Task<ProtocolResponse> UpdateRecordsAsync(SyncTarget t, AwsCall call, CancellationToken ct)
    {
        var body = Read(call, SyncWireJsonContext.Default.UpdateRecordsBody);
        var patches = body.RecordPatches?.Select(p => new SyncPatchInput(p.Op, p.Key, p.Value, p.SyncCount,
            p.DeviceLastModifiedDate is { } d && double.IsFinite(d) && Math.Abs(d) < 253402300799
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(d * 1000))
                : null)).ToList();
        var written = await operations.UpdateRecordsAsync(t.PoolId!, t.IdentityId!, t.DatasetName!, body.DeviceId, patches, body.SyncSessionToken,
            call.Request.Header("x-amz-Client-Context"), ct).ConfigureAwait(false);
        return Reply(call, written, r => new RecordsReply { Records = [.. r.Select(RecordBody.From)] }, SyncWireJsonContext.Default.RecordsReply);
    }

    private async Task<ProtocolResponse> PoolAsync(SyncTarget t, AwsCall call, Dictionary<string, string> query, CancellationToken ct)
    {
        var pool = t.PoolId!;
        switch (t.Operation)
        {
            case "ListIdentityPoolUsage":
                if (!TryInt(query, "maxResults", out var max))
                {
                    return call.Dialect.Error(SyncErrors.InvalidParameter("maxResults is a whole number."), call.RequestId);
                }

                return Reply(call, await poolOperations.ListUsageAsync(max, query.GetValueOrDefault("nextToken"), ct).ConfigureAwait(false),
                    p => new ListPoolUsageReply
                    {
                        IdentityPoolUsages = [.. p.Usages.Select(PoolUsageBody.From)], Count = p.Usages.Count, MaxResults = max ?? 16, NextToken = p.NextToken,
                    }, SyncWireJsonContext.Default.ListPoolUsageReply);
            case "DescribeIdentityPoolUsage":
                return Reply(call, await poolOperations.DescribeUsageAsync(pool, ct).ConfigureAwait(false),
                    u => new PoolUsageReply { IdentityPoolUsage = PoolUsageBody.From(u) }, SyncWireJsonContext.Default.PoolUsageReply);
            case "GetIdentityPoolConfiguration":
                return Reply(call, await poolOperations.GetSettingsAsync(pool, ct).ConfigureAwait(false), Configuration,
                    SyncWireJsonContext.Default.ConfigurationBody);
            case "SetIdentityPoolConfiguration":
                var body = Read(call, SyncWireJsonContext.Default.ConfigurationBody);
                var push = body.PushSync is { } p ? new SyncPushSettings(p.ApplicationArns, p.RoleArn) : null;
                var streams = body.CognitoStreams is { } s ? new SyncStreamSettings(s.StreamName, s.RoleArn, s.StreamingStatus) : null;
                return Reply(call, await poolOperations.SetConfigurationAsync(pool, push, streams, ct).ConfigureAwait(false), Configuration,
                    SyncWireJsonContext.Default.ConfigurationBody);
            case "GetCognitoEvents":
                return Reply(call, await poolOperations.GetSettingsAsync(pool, ct).ConfigureAwait(false),
                    e => new EventsBody { Events = new(e.Events) }, SyncWireJsonContext.Default.EventsBody);
            case "SetCognitoEvents":
                var events = Read(call, SyncWireJsonContext.Default.EventsBody);
                var set = await poolOperations.SetEventsAsync(pool, events.Events, ct).ConfigureAwait(false);
                return set.IsSuccess ? Empty(call) : call.Dialect.Error(set.Error!, call.RequestId);
            default:
                return await BulkPublishAsync(t, call, ct).ConfigureAwait(false);
        }
    }

    /// <summary>BulkPublish and GetBulkPublishDetails: the publishing is the delivery side's <see cref="ISyncBulkPublisher"/>.</summary>
    private async Task<ProtocolResponse> BulkPublishAsync(SyncTarget t, AwsCall call, CancellationToken ct)
    {
        var pool = await poolOperations.GetSettingsAsync(t.PoolId!, ct).ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return call.Dialect.Error(pool.Error!, call.RequestId);
        }

        if (services.GetService(typeof(ISyncBulkPublisher)) is not ISyncBulkPublisher publisher)
        {
            return call.Dialect.Error(SyncErrors.InvalidConfiguration("Bulk publishing is not available on this broker."), call.RequestId);
        }

        if (t.Operation == "BulkPublish")
        {
            var started = await publisher.StartAsync(t.PoolId!, ct).ConfigureAwait(false);
            return Reply(call, started, _ => new PoolReply { IdentityPoolId = t.PoolId }, SyncWireJsonContext.Default.PoolReply);
        }

        return Reply(call, await publisher.GetDetailsAsync(t.PoolId!, ct).ConfigureAwait(false), d => new BulkPublishDetailsReply
        {
            IdentityPoolId = d.IdentityPoolId,
            BulkPublishStatus = d.Status switch
            {
                BulkPublishStatus.NotStarted => "NOT_STARTED",
                BulkPublishStatus.InProgress => "IN_PROGRESS",
                BulkPublishStatus.Failed => "FAILED",
                _ => "SUCCEEDED",
            },
            BulkPublishStartTime = d.StartTime is { } start ? Identities.IdentityIds.EpochSeconds(start) : null,
            BulkPublishCompleteTime = d.CompleteTime is { } done ? Identities.IdentityIds.EpochSeconds(done) : null,
            FailureMessage = d.FailureMessage,
        }, SyncWireJsonContext.Default.BulkPublishDetailsReply);
    }

    private static ListRecordsReply RecordsPage(SyncRecordsPage p) => new()
    {
        Records = [.. p.Records.Select(RecordBody.From)],
        Count = p.Records.Count,
        NextToken = p.NextToken,
        DatasetSyncCount = p.DatasetSyncCount,
        LastModifiedBy = p.LastModifiedBy,
        MergedDatasetNames = [.. p.MergedDatasetNames],
        DatasetExists = p.DatasetExists,
        DatasetDeletedAfterRequestedSyncCount = p.DatasetDeletedAfterRequestedSyncCount,
        SyncSessionToken = p.SyncSessionToken,
    };

    private static ConfigurationBody Configuration(SyncPoolSettings s) => new()
    {
        IdentityPoolId = s.IdentityPoolId,
        PushSync = s.PushSync is { } p ? new() { ApplicationArns = p.ApplicationArns?.ToList(), RoleArn = p.RoleArn } : null,
        CognitoStreams = s.CognitoStreams is { } c ? new() { StreamName = c.StreamName, RoleArn = c.RoleArn, StreamingStatus = c.StreamingStatus } : null,
    };

    /// <summary>The body as <typeparamref name="T"/>; an empty body is an empty object. Malformed JSON throws <see cref="JsonException"/>.</summary>
    private static T Read<T>(AwsCall call, JsonTypeInfo<T> typeInfo)
        where T : new() =>
        call.Request.Body.IsEmpty ? new T() : JsonSerializer.Deserialize(call.Request.Body.Span, typeInfo) ?? new T();

    private static ProtocolResponse Reply<TValue, TReply>(AwsCall call, Result<TValue> result, Func<TValue, TReply> shape, JsonTypeInfo<TReply> typeInfo) =>
        result.IsSuccess
            ? new ProtocolResponse(200, JsonReplies.RestContentType, ReplyJson.Serialize(shape(result.Value), typeInfo), [new("x-amzn-RequestId", call.RequestId)])
            : call.Dialect.Error(result.Error!, call.RequestId);

    private static ProtocolResponse Empty(AwsCall call) =>
        new(200, JsonReplies.RestContentType, "{}"u8.ToArray(), [new("x-amzn-RequestId", call.RequestId)]);

    private static bool TryInt(Dictionary<string, string> query, string name, out int? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var text))
        {
            return true;
        }

        var ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }

    private static bool TryLong(Dictionary<string, string> query, string name, out long? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var text))
        {
            return true;
        }

        var ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }
}
