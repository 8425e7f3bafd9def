using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Identities.Lifecycle;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Lifecycle;

/// <summary>
/// The audit record of one page of a bulk deletion or sweep (docs/audit.md): a DeleteIdentities event of cognito-identity
/// naming the pool and each deleted identity, written durably before the job's cursor moves on. Nothing when the trail is off.
/// </summary>
internal sealed class AuditedBulkDeletion(IAuditStore store, IOptions<AuditOptions> options) : IBulkDeletionAudit
{
    private const string Source = "cognito-identity.amazonaws.com";

    public Task RecordAsync(string poolId, IReadOnlyList<string> identityIds, string? actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        var eventId = Guid.NewGuid().ToString("D");
        var username = actor is null ? "IdentityBroker guest sweeper" : "admin";
        List<AuditResource> resources = [new("AWS::Cognito::IdentityPool", poolId), .. identityIds.Select(id => new AuditResource("AWS::Cognito::Identity", id))];
        var record = new AuditRecord(eventId, at, "DeleteIdentities", Source, ReadOnly: false, actor, username, resources, Document(eventId, at, poolId, identityIds, actor, username));
        return store.AppendAuditAsync([record], cancellationToken);
    }

    private static string Document(string eventId, DateTimeOffset at, string poolId, IReadOnlyList<string> identityIds, string? actor, string username)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("eventVersion", "1.08");
            w.WriteStartObject("userIdentity");
            w.WriteString("type", actor is null ? "AWSService" : "Root");
            w.WriteString("userName", username);
            if (actor is not null)
            {
                w.WriteString("accessKeyId", actor);
            }

            w.WriteEndObject();
            AuditJsonText.WriteTime(w, "eventTime", at);
            w.WriteString("eventSource", Source);
            w.WriteString("eventName", "DeleteIdentities");
            w.WriteStartObject("requestParameters");
            w.WriteString("identityPoolId", poolId);
            w.WriteStartArray("identityIdsToDelete");
            foreach (var id in identityIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("eventID", eventId);
            w.WriteBoolean("readOnly", false);
            w.WriteString("eventType", "AwsApiCall");
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
