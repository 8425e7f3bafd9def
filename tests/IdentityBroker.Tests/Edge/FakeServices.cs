using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Edge;

/// <summary>
/// A JSON 1.1 service shaped like the next ones (CloudTrail's dotted target prefix): it knows nothing of bodies, signatures
/// or error documents; it only answers with what it saw, so the tests can tell what the edge did before calling it.
/// </summary>
internal sealed class FakeTrailService : IAwsService
{
    public const string TargetPrefix = "com.example.faketrail.v20240101.FakeTrail_20240101.";

    public static readonly AwsRoute Route = AwsRoute.JsonTarget("faketrail", TargetPrefix);

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Result<AwsOperation> Find(AwsCall call) => call.Name switch
    {
        "Describe" => new AwsOperation("Describe", requiresSignature: false, (c, _) => Answer(c)),
        "Record" => new AwsOperation("Record", requiresSignature: true, (c, _) => Answer(c)),
        "Fail" => new AwsOperation("Fail", requiresSignature: false, (_, _) => Throw(new InvalidOperationException("a bug in the service"))),
        "Outage" => new AwsOperation("Outage", requiresSignature: false, (_, _) => Throw(new StoreUnavailableException("the store did not answer"))),
        _ => new AwsError("UnknownOperationException", "FakeTrail has no such operation."),
    };

    private Task<ProtocolResponse> Answer(AwsCall call)
    {
        Interlocked.Increment(ref _calls);
        var json = $"{{\"operation\":\"{call.Operation!.Name}\",\"caller\":\"{call.Caller?.AccessKeyId ?? "anonymous"}\",\"bodyBytes\":{call.Request.Body.Length}}}";
        return Task.FromResult(new ProtocolResponse(200, JsonReplies.ContentType, Encoding.UTF8.GetBytes(json), [new("x-amzn-RequestId", call.RequestId)]));
    }

    private Task<ProtocolResponse> Throw(Exception e)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromException<ProtocolResponse>(e);
    }
}

/// <summary>A REST-JSON service shaped like Cognito Sync: the operation is the method and the path below its prefix.</summary>
internal sealed class FakeSyncService : IAwsService
{
    public static readonly AwsRoute Route = AwsRoute.RestPath("fakesync", "/fakesync");

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Result<AwsOperation> Find(AwsCall call)
    {
        var parts = call.Name.Split('/', StringSplitOptions.RemoveEmptyEntries); // fakesync, pools, {id}, [records]
        return (call.Request.Method, parts) switch
        {
            ("GET", [_, "pools", _]) => new AwsOperation("DescribePool", requiresSignature: false, (c, _) => Answer(c, parts[2])),
            ("POST", [_, "pools", _, "records"]) => new AwsOperation("UpdateRecords", requiresSignature: true, (c, _) => Answer(c, parts[2])),
            ("GET", [_, "fail"]) => new AwsOperation("Fail", requiresSignature: false, (_, _) => throw new InvalidOperationException("a bug in the service")),
            _ => new AwsError("ResourceNotFoundException", "FakeSync has no such resource.", 404),
        };
    }

    private Task<ProtocolResponse> Answer(AwsCall call, string poolId)
    {
        Interlocked.Increment(ref _calls);
        var json = $"{{\"operation\":\"{call.Operation!.Name}\",\"pool\":\"{poolId}\",\"caller\":\"{call.Caller?.AccessKeyId ?? "anonymous"}\"}}";
        return Task.FromResult(new ProtocolResponse(200, JsonReplies.RestContentType, Encoding.UTF8.GetBytes(json), [new("x-amzn-RequestId", call.RequestId)]));
    }
}
