using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Mapping;
using IdentityBroker.Observability;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static IdentityBroker.Tests.Mapping.MappingTestKit;

namespace IdentityBroker.Tests.Audit;

/// <summary>
/// The compact form a call's record is stored in (docs/audit.md, "Storage"): its facts survive the stored form, the JSON
/// written from them is the CloudTrail record byte for byte, and a SQLite file written before the form keeps its events.
/// </summary>
[TestFixture]
public sealed class AuditFactsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 30, 15, TimeSpan.Zero);

    private static readonly AuditFacts Full = new(
        "eu-west-1", "123456789012", "2001:db8::7", "Mozilla/5.0 (é, 日本, \"q\")", "req-1", "arn:aws:sts::123456789012:assumed-role/Reader/s1", "AROAREADER:s1",
        "NotAuthorizedException", "Token is not from a supported provider.", "{\"identityId\":\"us-east-1:abc\"}"u8.ToArray(), "us-east-1:abc",
        "ASIAISSUED", At.AddHours(1), "us-east-1:pool", "us-east-1:abc", "{\"allowed\":false}"u8.ToArray());

    [Test]
    public void Facts_survive_their_stored_form_member_for_member_with_every_member_set_and_with_every_optional_member_null()
    {
        var none = new AuditFacts("r", "a", null, null, "q", null, null, null, null, null, null, null, null, null, null, null);

        foreach (var facts in new[] { Full, none })
        {
            var read = AuditFactsCodec.Decode(AuditFactsCodec.Encode(facts));

            Assert.Multiple(() =>
            {
                Assert.That(read with { RequestParameters = null, Decision = null }, Is.EqualTo(facts with { RequestParameters = null, Decision = null }));
                Assert.That(read.RequestParameters, Is.EqualTo(facts.RequestParameters));
                Assert.That(read.Decision, Is.EqualTo(facts.Decision));
            });
        }
    }

    [Test]
    public void Stored_facts_of_another_format_or_cut_short_are_refused_as_invalid_data()
    {
        var stored = AuditFactsCodec.Encode(Full);

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidDataException>(() => AuditFactsCodec.Decode([]));
            Assert.Throws<InvalidDataException>(() => AuditFactsCodec.Decode([99, .. stored.AsSpan(1)]));
            Assert.Throws<InvalidDataException>(() => AuditFactsCodec.Decode(stored.AsSpan(..^3)));
        });
    }

    [Test]
    public void A_record_kept_as_facts_is_written_as_the_cloudtrail_record_byte_for_byte()
    {
        var role = Resolve(Pool(), null);
        var decision = CredentialDecision.Allowed([new DecidedLogin(Oidc, "user-7")], role, new Dictionary<string, string> { ["dept"] = "eng" });
        var capture = new CallAuditCapture
        {
            Decision = decision,
            IdentityPoolId = PoolId,
            IdentityId = "us-east-1:abc",
            IssuedAccessKeyId = "ASIAISSUED",
            IssuedExpiration = At.AddHours(1),
        };
        var call = new CallCompleted("cognito-identity", "GetCredentialsForIdentity", null, 200, null, TimeSpan.FromMilliseconds(3), "req-1", "192.0.2.7")
        {
            Details = new CallDetails("aws-cli/2.15", "{\"identityId\":\"us-east-1:abc\"}", capture, "us-east-1:abc", null, null),
        };

        var record = new AuditEventBuilder("eu-west-1", "123456789012").Build(in call, "evt-1", At)!;

        Assert.That(record.Facts, Is.Not.Null);
        Assert.That(record.CloudTrailEvent, Is.EqualTo(
            "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Unknown\",\"accountId\":\"123456789012\"},\"eventTime\":\"2026-12-07T10:30:15Z\","
            + "\"eventSource\":\"cognito-identity.amazonaws.com\",\"eventName\":\"GetCredentialsForIdentity\",\"awsRegion\":\"eu-west-1\","
            + "\"sourceIPAddress\":\"192.0.2.7\",\"userAgent\":\"aws-cli/2.15\",\"requestParameters\":{\"identityId\":\"us-east-1:abc\"},"
            + "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAISSUED\",\"expiration\":\"2026-12-07T11:30:15Z\"},\"identityId\":\"us-east-1:abc\"},"
            + $"\"additionalEventData\":{{\"identityPoolId\":\"{PoolId}\",\"identityId\":\"us-east-1:abc\",\"decision\":{DecisionText(decision)}}},"
            + "\"requestID\":\"req-1\",\"eventID\":\"evt-1\",\"readOnly\":false,"
            + $"\"resources\":[{{\"type\":\"AWS::Cognito::IdentityPool\",\"ARN\":\"{PoolId}\"}},{{\"type\":\"AWS::Cognito::Identity\",\"ARN\":\"us-east-1:abc\"}},"
            + $"{{\"type\":\"AWS::IAM::Role\",\"ARN\":\"{role.RoleArn}\"}}],"
            + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"Management\"}"));
    }

    [Test]
    public async Task A_sqlite_file_written_before_the_compact_form_keeps_its_events_as_they_were_and_takes_new_ones()
    {
        var directory = Directory.CreateTempSubdirectory("audit-facts-").FullName;
        var path = Path.Combine(directory, "broker.db");
        try
        {
            const string Old = "{\"eventVersion\":\"1.08\",\"eventID\":\"old-1\",\"eventName\":\"GetId\"}";
            await WriteOldFileAsync(path, Old);

            using var store = new SqliteBrokerStore(path);
            var fresh = new AuditRecord(AuditEventId.New(At), At, "GetCredentialsForIdentity", "cognito-identity.amazonaws.com", false, null, null, [], Full);
            await store.AppendAuditAsync([fresh], CancellationToken.None);
            var page = await store.LookupAuditAsync(new AuditQuery(At.AddDays(-1), At.AddDays(1), null, null, 50, null), CancellationToken.None);

            Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { fresh.EventId, "old-1" }));
            var old = page.Events[1];
            Assert.Multiple(() =>
            {
                Assert.That(old.CloudTrailEvent, Is.EqualTo(Old), "an event stored before keeps its JSON byte for byte");
                Assert.That(old.Facts, Is.Null);
                Assert.That(old.Resources, Is.EqualTo(new[] { new AuditResource("AWS::Cognito::Identity", "us-east-1:old") }));
                Assert.That(old.Username, Is.EqualTo("root"));
                Assert.That(page.Events[0].CloudTrailEvent, Is.EqualTo(fresh.CloudTrailEvent));
            });
            var byResource = await store.LookupAuditAsync(
                new AuditQuery(At.AddDays(-1), At.AddDays(1), AuditAttribute.ResourceName, "us-east-1:old", 50, null), CancellationToken.None);
            Assert.That(byResource.Events.Select(e => e.EventId), Is.EqualTo(new[] { "old-1" }));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The decision as DecisionJson writes it, cut out of a member (as the record carries it).</summary>
    private static string DecisionText(CredentialDecision decision)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            DecisionJson.Write(w, "decision", decision);
            w.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        return text["{\"decision\":".Length..^1];
    }

    /// <summary>A file at the schema just before the compact form, with one event written as that schema's store wrote it.</summary>
    private static async Task WriteOldFileAsync(string path, string document)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var sql = new StringBuilder("PRAGMA journal_mode = WAL; CREATE TABLE schema_version (version INTEGER NOT NULL);");
        for (var version = 1; version < SqliteSchema.AuditFactsVersion; version++)
        {
            sql.Append(SqliteSchema.Migration(version)).Append($"INSERT INTO schema_version (version) VALUES ({version});");
        }

        sql.Append("INSERT INTO audit_log (event_time, event_id, event_name, event_source, read_only, access_key_id, username, resources, document) VALUES ")
            .Append($"({At.AddMinutes(-5).UtcTicks}, 'old-1', 'GetId', 'cognito-identity.amazonaws.com', 0, 'AKIAROOT', 'root', ")
            .Append("'[{\"t\":\"AWS::Cognito::Identity\",\"n\":\"us-east-1:old\"}]', $document);");
        await using var command = connection.CreateCommand();
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$document", document);
        await command.ExecuteNonQueryAsync();
    }
}
