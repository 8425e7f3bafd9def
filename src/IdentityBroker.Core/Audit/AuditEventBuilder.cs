using System.Text.Json;
using IdentityBroker.Mapping;
using IdentityBroker.Observability;

namespace IdentityBroker.Audit;

/// <summary>
/// Builds the CloudTrail record of one completed call (AWS CloudTrail User Guide, "CloudTrail record contents"): event version
/// 1.08, <c>AwsApiCall</c>, a management event, with the caller as CloudTrail's userIdentity element describes it — <c>Root</c>
/// for the admin key (it is the account's root key), <c>AssumedRole</c> with its sessionContext for credentials of the embedded
/// STS, and <c>Unknown</c> with the account id for the unsigned operations (GetId, GetCredentialsForIdentity, InitiateAuth, …).
/// </summary>
public sealed class AuditEventBuilder(string region, string accountId)
{
    public const string EventVersion = "1.08";

    /// <summary>The services the trail records, by the route's service name, with their CloudTrail eventSource.</summary>
    public static string? EventSource(string service) => service switch
    {
        "cognito-identity" => "cognito-identity.amazonaws.com",
        "cognito-idp" => "cognito-idp.amazonaws.com",
        "sts" => "sts.amazonaws.com",
        "iam" => "iam.amazonaws.com",
        _ => null,
    };

    /// <summary>CloudTrail's readOnly: the operation only reads. GetId, GetOpenIdToken(ForDeveloperIdentity) and
    /// GetCredentialsForIdentity create identities or issue tokens, so they are not read-only.</summary>
    public static bool IsReadOnly(string operation) =>
        operation is not ("GetId" or "GetOpenIdToken" or "GetOpenIdTokenForDeveloperIdentity" or "GetCredentialsForIdentity")
        && (operation.StartsWith("Get", StringComparison.Ordinal) || operation.StartsWith("List", StringComparison.Ordinal)
            || operation.StartsWith("Describe", StringComparison.Ordinal) || operation.StartsWith("Lookup", StringComparison.Ordinal));

    /// <summary>True for a call the trail records: a routed call to one of the four services.</summary>
    public static bool Records(in CallCompleted call) => EventSource(call.Service) is not null && call.Operation != CallCompleted.Unrouted;

    /// <summary>The record, or null for a call the trail does not record (another service, an unrouted request).</summary>
    public AuditRecord? Build(in CallCompleted call, string eventId, DateTimeOffset eventTime)
    {
        if (!Records(in call) || EventSource(call.Service) is not { } source)
        {
            return null;
        }

        var details = call.Details;
        var capture = details?.Capture;
        var readOnly = IsReadOnly(call.Operation);
        var resources = Resources(details, capture);
        var username = Username(call, details);
        var json = AuditJsonText.Write(new RecordState(this, call, source, eventId, eventTime, readOnly, resources), static (w, s) => s.Builder.Write(w, s));
        return new AuditRecord(eventId, eventTime, call.Operation, source, readOnly, call.CallerAccessKeyId, username, resources, json);
    }

    /// <summary>What <see cref="Write"/> needs of one call, passed through <see cref="AuditJsonText"/> without a closure.</summary>
    private readonly record struct RecordState(
        AuditEventBuilder Builder, CallCompleted Call, string Source, string EventId, DateTimeOffset EventTime, bool ReadOnly, List<AuditResource> Resources);

    private void Write(Utf8JsonWriter w, in RecordState s)
    {
        var call = s.Call;
        var details = call.Details;
        var capture = details?.Capture;
        w.WriteStartObject();
        w.WriteString("eventVersion", EventVersion);
        WriteUserIdentity(w, call, details);
        AuditJsonText.WriteTime(w, "eventTime", s.EventTime);
        w.WriteString("eventSource", s.Source);
        w.WriteString("eventName", call.Operation);
        w.WriteString("awsRegion", region);
        w.WriteString("sourceIPAddress", call.SourceIp);
        w.WriteString("userAgent", details?.UserAgent);
        if (call.ErrorType is { } errorType)
        {
            w.WriteString("errorCode", errorType);
            w.WriteString("errorMessage", details?.ErrorMessage);
        }

        WriteRaw(w, "requestParameters", details?.RequestParameters);
        WriteResponseElements(w, call, details, capture);
        WriteAdditional(w, call, capture);
        w.WriteString("requestID", call.RequestId);
        w.WriteString("eventID", s.EventId);
        w.WriteBoolean("readOnly", s.ReadOnly);
        WriteResources(w, s.Resources);
        w.WriteString("eventType", "AwsApiCall");
        w.WriteBoolean("managementEvent", true);
        w.WriteString("recipientAccountId", accountId);
        w.WriteString("eventCategory", "Management");
        w.WriteEndObject();
    }

    private void WriteUserIdentity(Utf8JsonWriter w, in CallCompleted call, CallDetails? details)
    {
        w.WriteStartObject("userIdentity");
        var arn = details?.CallerArn;
        if (call.CallerAccessKeyId is null || arn is null)
        {
            // Unsigned calls: no principal to name. "Unknown" is CloudTrail's type for an identity it cannot determine (User
            // Guide, "CloudTrail userIdentity element"); accountId alone is what Cognito writes for its unauthenticated
            // events (Developer Guide, "Example Amazon Cognito events"). No principalId: there is none.
            w.WriteString("type", "Unknown");
            w.WriteString("accountId", accountId);
        }
        else if (arn.EndsWith(":root", StringComparison.Ordinal))
        {
            w.WriteString("type", "Root");
            w.WriteString("principalId", details!.CallerUserId ?? accountId);
            w.WriteString("arn", arn);
            w.WriteString("accountId", accountId);
            w.WriteString("accessKeyId", call.CallerAccessKeyId);
        }
        else
        {
            WriteAssumedRole(w, call.CallerAccessKeyId, arn, details!.CallerUserId);
        }

        w.WriteEndObject();
    }

    /// <summary>arn:aws:sts::acct:assumed-role/Name/session, with the role it came from as the session issuer.</summary>
    private void WriteAssumedRole(Utf8JsonWriter w, string accessKeyId, string arn, string? userId)
    {
        var parts = arn.Split(':', 6);
        var path = parts.Length == 6 ? parts[5].Split('/') : [];
        var roleName = path.Length >= 3 ? path[1] : null;
        w.WriteString("type", "AssumedRole");
        w.WriteString("principalId", userId);
        w.WriteString("arn", arn);
        w.WriteString("accountId", accountId);
        w.WriteString("accessKeyId", accessKeyId);
        w.WriteStartObject("sessionContext");
        w.WriteStartObject("sessionIssuer");
        w.WriteString("type", "Role");
        w.WriteString("principalId", userId?.Split(':')[0]);
        w.WriteString("arn", roleName is null ? null : $"arn:aws:iam::{accountId}:role/{roleName}");
        w.WriteString("accountId", accountId);
        w.WriteString("userName", roleName);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Only what names the result: the identity id and the access key id of issued credentials (never the secret or the session token).</summary>
    private static void WriteResponseElements(Utf8JsonWriter w, in CallCompleted call, CallDetails? details, CallAuditCapture? capture)
    {
        var identityId = details?.ResponseIdentityId;
        if (call.ErrorType is not null || (identityId is null && capture?.IssuedAccessKeyId is null))
        {
            w.WriteNull("responseElements");
            return;
        }

        w.WriteStartObject("responseElements");
        if (capture?.IssuedAccessKeyId is { } keyId)
        {
            w.WriteStartObject("credentials");
            w.WriteString("accessKeyId", keyId);
            if (capture.IssuedExpiration is { } expiration)
            {
                AuditJsonText.WriteTime(w, "expiration", expiration);
            }

            w.WriteEndObject();
        }

        if (identityId is not null)
        {
            w.WriteString("identityId", identityId);
        }

        w.WriteEndObject();
    }

    private static void WriteAdditional(Utf8JsonWriter w, in CallCompleted call, CallAuditCapture? capture)
    {
        if (capture?.Decision is not { } decision)
        {
            return;
        }

        w.WriteStartObject("additionalEventData");
        if (capture.IdentityPoolId is { } poolId)
        {
            w.WriteString("identityPoolId", poolId);
        }

        if (capture.IdentityId is { } identityId)
        {
            w.WriteString("identityId", identityId);
        }

        DecisionJson.Write(w, "decision", decision);
        w.WriteEndObject();
    }

    private static void WriteResources(Utf8JsonWriter w, List<AuditResource> resources)
    {
        if (resources.Count == 0)
        {
            return;
        }

        w.WriteStartArray("resources");
        foreach (var resource in resources)
        {
            w.WriteStartObject();
            w.WriteString("type", resource.ResourceType);
            w.WriteString("ARN", resource.ResourceName);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteRaw(Utf8JsonWriter w, string name, string? json)
    {
        if (json is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WritePropertyName(name);
        w.WriteRawValue(json, skipInputValidation: true);
    }

    /// <summary>The pool, the identity and the chosen role: what the operator searches by (LookupEvents' ResourceName).</summary>
    private static List<AuditResource> Resources(CallDetails? details, CallAuditCapture? capture)
    {
        var resources = new List<AuditResource>(3);
        if (capture?.IdentityPoolId is { } poolId)
        {
            resources.Add(new AuditResource("AWS::Cognito::IdentityPool", poolId));
        }

        if ((capture?.IdentityId ?? details?.ResponseIdentityId) is { } identityId)
        {
            resources.Add(new AuditResource("AWS::Cognito::Identity", identityId));
        }

        if (capture?.Decision?.Role?.RoleArn is { } roleArn)
        {
            resources.Add(new AuditResource("AWS::IAM::Role", roleArn));
        }

        return resources;
    }

    /// <summary>LookupEvents' Username: "root" for the root key, the session name for an assumed role (as CloudTrail shows them).</summary>
    private static string? Username(in CallCompleted call, CallDetails? details)
    {
        if (call.CallerAccessKeyId is null || details?.CallerArn is not { } arn)
        {
            return null;
        }

        return arn.EndsWith(":root", StringComparison.Ordinal) ? "root" : arn[(arn.LastIndexOf('/') + 1)..];
    }
}
