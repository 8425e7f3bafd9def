using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// CloudTrail's LookupEvents on AWS JSON 1.1 (<c>X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents</c>),
/// signed with the admin key, so <c>aws cloudtrail lookup-events --endpoint-url …</c> and the SDK's CloudTrail client read the
/// broker's trail. No other CloudTrail operation is served.
/// </summary>
internal sealed class CloudTrailEndpoint : IAwsService
{
    public const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    public static readonly AwsRoute Route = AwsRoute.JsonTarget("cloudtrail", TargetPrefix);

    /// <summary>The AWS SDK for JavaScript v3 sends the short target, <c>CloudTrail_20131101.LookupEvents</c>; CloudTrail accepts both.</summary>
    public static readonly AwsRoute ShortRoute = AwsRoute.JsonTarget("cloudtrail", "CloudTrail_20131101.");

    private readonly AwsOperation _lookup;

    public CloudTrailEndpoint(IAuditStore store, IOptions<AuditOptions> options, TimeProvider time)
    {
        _lookup = new AwsOperation("LookupEvents", requiresSignature: true, (call, ct) => LookupAsync(store, options.Value, time, call, ct));
    }

    public Result<AwsOperation> Find(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Name == "LookupEvents"
            ? _lookup
            : new AwsError("UnsupportedOperationException", "This broker serves LookupEvents only.");
    }

    private static async Task<ProtocolResponse> LookupAsync(IAuditStore store, AuditOptions options, TimeProvider time, AwsCall call, CancellationToken cancellationToken)
    {
        if (call.Caller is not { IsAdmin: true })
        {
            return JsonReplies.Error(new AwsError("AccessDeniedException", "LookupEvents needs a signature made with an admin access key.", 400), call.RequestId);
        }

        var query = LookupEventsRequest.Read(call.Request.Body, time.GetUtcNow(), options.RetentionDays);
        if (!query.IsSuccess)
        {
            return JsonReplies.Error(query.Error!, call.RequestId);
        }

        var page = await store.LookupAuditAsync(query.Value, cancellationToken);
        return new ProtocolResponse(200, JsonReplies.ContentType, Write(page), [new("x-amzn-RequestId", call.RequestId)]);
    }

    private static byte[] Write(AuditPage page)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("Events");
            foreach (var e in page.Events)
            {
                w.WriteStartObject();
                w.WriteString("EventId", e.EventId);
                w.WriteString("EventName", e.EventName);
                w.WriteString("ReadOnly", e.ReadOnly ? "true" : "false");
                if (e.AccessKeyId is { } key)
                {
                    w.WriteString("AccessKeyId", key);
                }

                w.WriteNumber("EventTime", e.EventTime.ToUnixTimeMilliseconds() / 1000d);
                w.WriteString("EventSource", e.EventSource);
                if (e.Username is { } user)
                {
                    w.WriteString("Username", user);
                }

                w.WriteStartArray("Resources");
                foreach (var r in e.Resources)
                {
                    w.WriteStartObject();
                    w.WriteString("ResourceType", r.ResourceType);
                    w.WriteString("ResourceName", r.ResourceName);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("CloudTrailEvent", e.CloudTrailEvent);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (page.Next is { } next)
            {
                w.WriteString("NextToken", LookupEventsRequest.EncodeToken(next));
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
