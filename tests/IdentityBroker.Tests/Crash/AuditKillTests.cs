using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Storage.Sqlite;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The broker is SIGKILLed at random moments while clients get credentials; after each kill the trail must hold the record
/// of every issuance a client received (its access key id), because an issuance's reply waits for its record's durable write.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AuditKillTests
{
    private const int Rounds = 3;
    private const int Workers = 4;

    [Test]
    public async Task Sqlite_killing_the_broker_loses_no_record_of_an_acknowledged_credential_issuance()
    {
        var seed = Environment.TickCount;
        await TestContext.Out.WriteLineAsync($"seed {seed}");
        var random = new Random(seed);
        var dataDirectory = Directory.CreateTempSubdirectory("audit-kill-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Broker__Store"] = "sqlite",
            ["Broker__DataDirectory"] = dataDirectory,
            ["Broker__SeedDemoPool"] = "true", // a pool with a guest role: GetCredentialsForIdentity without an identity provider
        };
        var acknowledged = new ConcurrentBag<string>();
        try
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var broker = await BrokerProcess.StartAsync(settings);
                try
                {
                    var poolId = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "demo-pool-id"))).Trim();
                    var identityId = await GuestAsync(broker, poolId);
                    var killed = false;
                    var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
                    {
                        while (!Volatile.Read(ref killed))
                        {
                            if (await IssueAsync(broker, identityId) is { } keyId)
                            {
                                acknowledged.Add(keyId);
                            }
                        }
                    })).ToArray();
                    await Task.Delay(random.Next(300, 1200));
                    Volatile.Write(ref killed, true);
                    await broker.KillAsync();
                    await Task.WhenAll(workers);
                }
                finally
                {
                    await broker.DisposeAsync();
                }

                var recorded = await RecordedAccessKeyIdsAsync(Path.Combine(dataDirectory, "broker.db"));
                var lost = acknowledged.Where(k => !recorded.Contains(k)).ToList();
                await TestContext.Out.WriteLineAsync($"round {round}: {acknowledged.Count} issuances acknowledged so far, {recorded.Count} recorded, {lost.Count} lost");
                Assert.That(acknowledged, Is.Not.Empty, "the workers got credentials before the kill");
                Assert.That(lost, Is.Empty, $"round {round}, seed {seed}");
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<string> GuestAsync(BrokerProcess broker, string poolId)
    {
        using var response = await broker.Http.SendAsync(Request("GetId", $"{{\"IdentityPoolId\":\"{poolId}\"}}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("IdentityId").GetString()!;
    }

    /// <summary>The access key id the client received, or null when the call failed or was cut by the kill.</summary>
    private static async Task<string?> IssueAsync(BrokerProcess broker, string identityId)
    {
        try
        {
            using var response = await broker.Http.SendAsync(Request("GetCredentialsForIdentity", $"{{\"IdentityId\":\"{identityId}\"}}"));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var body = await response.Content.ReadAsStringAsync();
            return JsonDocument.Parse(body).RootElement.GetProperty("Credentials").GetProperty("AccessKeyId").GetString();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private static async Task<HashSet<string>> RecordedAccessKeyIdsAsync(string databasePath)
    {
        using var store = new SqliteBrokerStore(databasePath);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        AuditCursor? cursor = null;
        do
        {
            var page = await store.LookupAuditAsync(new AuditQuery(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1),
                AuditAttribute.EventName, "GetCredentialsForIdentity", 500, cursor), CancellationToken.None);
            foreach (var e in page.Events)
            {
                using var record = JsonDocument.Parse(e.CloudTrailEvent);
                if (record.RootElement.GetProperty("responseElements") is { ValueKind: JsonValueKind.Object } elements)
                {
                    keys.Add(elements.GetProperty("credentials").GetProperty("accessKeyId").GetString()!);
                }
            }

            cursor = page.Next;
        }
        while (cursor is not null);
        return keys;
    }

    private static HttpRequestMessage Request(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityService." + operation);
        return request;
    }
}
