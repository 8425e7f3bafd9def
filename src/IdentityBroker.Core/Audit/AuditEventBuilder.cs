using System.Text;
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

    /// <summary>The record, kept as its facts, or null for a call the trail does not record (another service, an unrouted request).</summary>
    public AuditRecord? Build(in CallCompleted call, string eventId, DateTimeOffset eventTime)
    {
        if (!Records(in call) || EventSource(call.Service) is not { } source)
        {
            return null;
        }

        var details = call.Details;
        var capture = details?.Capture;
        var facts = new AuditFacts(
            region,
            accountId,
            call.SourceIp,
            details?.UserAgent,
            call.RequestId,
            details?.CallerArn,
            details?.CallerUserId,
            call.ErrorType,
            call.ErrorType is null ? null : details?.ErrorMessage,
            details?.RequestParameters is { } parameters ? Encoding.UTF8.GetBytes(parameters) : null,
            details?.ResponseIdentityId,
            capture?.IssuedAccessKeyId,
            capture?.IssuedAccessKeyId is null ? null : capture.IssuedExpiration,
            capture?.IdentityPoolId,
            capture?.IdentityId,
            capture?.Decision is { } decision ? DecisionBytes(decision) : null);
        return new AuditRecord(
            eventId, eventTime, call.Operation, source, IsReadOnly(call.Operation), call.CallerAccessKeyId, Username(call, details), Resources(details, capture), facts);
    }

    /// <summary>
    /// The decision's JSON alone, as <see cref="DecisionJson"/> writes it: DecisionJson writes a named member, so it is written
    /// as the only member of an object and the value's bytes are cut out (after <c>{"decision":</c>, before the last <c>}</c>).
    /// </summary>
    private static byte[] DecisionBytes(CredentialDecision decision) =>
        AuditJsonText.WriteBytes(decision, static (w, d) =>
        {
            w.WriteStartObject();
            DecisionJson.Write(w, "decision", d);
            w.WriteEndObject();
        }, DecisionPrefix.Length, 1);

    private const string DecisionPrefix = "{\"decision\":";

    /// <summary>The CloudTrail record of a record kept as its facts (docs/audit.md, "Format"), byte for byte as it was always written.</summary>
    public static string Render(AuditRecord record, AuditFacts facts)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(facts);
        return AuditJsonText.Write((record, facts), static (w, s) => Write(w, s.record, s.facts));
    }

    private static void Write(Utf8JsonWriter w, AuditRecord record, AuditFacts facts)
    {
        w.WriteStartObject();
        w.WriteString("eventVersion", EventVersion);
        WriteUserIdentity(w, record.AccessKeyId, facts);
        AuditJsonText.WriteTime(w, "eventTime", record.EventTime);
        w.WriteString("eventSource", record.EventSource);
        w.WriteString("eventName", record.EventName);
        w.WriteString("awsRegion", facts.Region);
        w.WriteString("sourceIPAddress", facts.SourceIp);
        w.WriteString("userAgent", facts.UserAgent);
        if (facts.ErrorCode is { } errorType)
        {
            w.WriteString("errorCode", errorType);
            w.WriteString("errorMessage", facts.ErrorMessage);
        }

        WriteRaw(w, "requestParameters", facts.RequestParameters);
        WriteResponseElements(w, facts);
        WriteAdditional(w, facts);
        w.WriteString("requestID", facts.RequestId);
        w.WriteString("eventID", record.EventId);
        w.WriteBoolean("readOnly", record.ReadOnly);
        WriteResources(w, record.Resources);
        w.WriteString("eventType", "AwsApiCall");
        w.WriteBoolean("managementEvent", true);
        w.WriteString("recipientAccountId", facts.AccountId);
        w.WriteString("eventCategory", "Management");
        w.WriteEndObject();
    }

    private static void WriteUserIdentity(Utf8JsonWriter w, string? accessKeyId, AuditFacts facts)
    {
        w.WriteStartObject("userIdentity");
        var arn = facts.CallerArn;
        if (accessKeyId is null || arn is null)
        {
            // Unsigned calls: no principal to name. "Unknown" is CloudTrail's type for an identity it cannot determine (User
            // Guide, "CloudTrail userIdentity element"); accountId alone is what Cognito writes for its unauthenticated
            // events (Developer Guide, "Example Amazon Cognito events"). No principalId: there is none.
            w.WriteString("type", "Unknown");
            w.WriteString("accountId", facts.AccountId);
        }
        else if (arn.EndsWith(":root", StringComparison.Ordinal))
        {
            w.WriteString("type", "Root");
            w.WriteString("principalId", facts.CallerUserId ?? facts.AccountId);
            w.WriteString("arn", arn);
            w.WriteString("accountId", facts.AccountId);
            w.WriteString("accessKeyId", accessKeyId);
        }
        else
        {
            WriteAssumedRole(w, accessKeyId, arn, facts.CallerUserId, facts.AccountId);
        }

        w.WriteEndObject();
    }

    /// <summary>arn:aws:sts::acct:assumed-role/Name/session, with the role it came from as the session issuer.</summary>
    private static void WriteAssumedRole(Utf8JsonWriter w, string accessKeyId, string arn, string? userId, string accountId)
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
    private static void WriteResponseElements(Utf8JsonWriter w, AuditFacts facts)
    {
        var identityId = facts.ResponseIdentityId;
        if (facts.ErrorCode is not null || (identityId is null && facts.IssuedAccessKeyId is null))
        {
            w.WriteNull("responseElements");
            return;
        }

        w.WriteStartObject("responseElements");
        if (facts.IssuedAccessKeyId is { } keyId)
        {
            w.WriteStartObject("credentials");
            w.WriteString("accessKeyId", keyId);
            if (facts.IssuedExpiration is { } expiration)
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

    private static void WriteAdditional(Utf8JsonWriter w, AuditFacts facts)
    {
        if (facts.Decision is not { } decision)
        {
            return;
        }

        w.WriteStartObject("additionalEventData");
        if (facts.IdentityPoolId is { } poolId)
        {
            w.WriteString("identityPoolId", poolId);
        }

        if (facts.IdentityId is { } identityId)
        {
            w.WriteString("identityId", identityId);
        }

        w.WritePropertyName("decision");
        w.WriteRawValue(decision, skipInputValidation: true);
        w.WriteEndObject();
    }

    private static void WriteResources(Utf8JsonWriter w, IReadOnlyList<AuditResource> resources)
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

    private static void WriteRaw(Utf8JsonWriter w, string name, byte[]? json)
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
