using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Storage;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The broker is SIGKILLed at random moments while clients get credentials; after each kill the trail must hold the record
/// of every issuance a client received (its access key id), because an issuance's reply waits for its record's durable write.
/// The writer is slowed (<c>Broker:Audit:TestWriteDelayMilliseconds</c>) so that records stay queued for a fifth of a
/// second: a build whose replies did not wait would acknowledge issuances whose records a kill then loses, and fail here
/// (checked on 2026-12-07 by removing the wait: docs/audit.md). Runs on SQLite (the broker's file) and on Redis (Redis
/// stays up; only the broker dies).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AuditKillTests
{
    private const int Rounds = 3;
    private const int Workers = 8;

    /// <summary>Long against a request's round trip, short against the time before the kill.</summary>
    private const string WriteDelayMilliseconds = "200";

    [Test]
    public async Task Sqlite_killing_the_broker_loses_no_record_of_an_acknowledged_credential_issuance()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("audit-kill-").FullName;
        try
        {
            await RunAsync(new Dictionary<string, string> { ["Broker__Store"] = "sqlite", ["Broker__DataDirectory"] = dataDirectory },
                dataDirectory, () => new SqliteBrokerStore(Path.Combine(dataDirectory, "broker.db")));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Redis_killing_the_broker_loses_no_record_of_an_acknowledged_credential_issuance()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        var prefix = $"iba-{Guid.NewGuid():N}";
        var dataDirectory = Directory.CreateTempSubdirectory("audit-kill-").FullName;
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Broker__Store"] = "redis",
                ["Broker__Redis__Configuration"] = redis.Configuration,
                ["Broker__Redis__KeyPrefix"] = prefix,
                ["Broker__DataDirectory"] = dataDirectory,
            };
            await RunAsync(settings, dataDirectory, () => new RedisBrokerStore(connection, prefix));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task RunAsync(Dictionary<string, string> settings, string dataDirectory, Func<IAuditStore> openStore)
    {
        var seed = Environment.TickCount;
        await TestContext.Out.WriteLineAsync($"seed {seed}");
        var random = new Random(seed);
        settings["Broker__SeedDemoPool"] = "true"; // a pool with a guest role: GetCredentialsForIdentity without an identity provider
        settings["Broker__Audit__TestWriteDelayMilliseconds"] = WriteDelayMilliseconds;
        var acknowledged = new ConcurrentBag<string>();
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
                await Task.Delay(random.Next(1000, 2500));
                Volatile.Write(ref killed, true);
                await broker.KillAsync();
                await Task.WhenAll(workers);
            }
            finally
            {
                await broker.DisposeAsync();
            }

            var store = openStore();
            try
            {
                var recorded = await RecordedAccessKeyIdsAsync(store);
                var lost = acknowledged.Where(k => !recorded.Contains(k)).ToList();
                await TestContext.Out.WriteLineAsync($"round {round}: {acknowledged.Count} issuances acknowledged so far, {recorded.Count} recorded, {lost.Count} lost");
                Assert.That(acknowledged, Is.Not.Empty, "the workers got credentials before the kill");
                Assert.That(lost, Is.Empty, $"round {round}, seed {seed}");
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
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

    private static async Task<HashSet<string>> RecordedAccessKeyIdsAsync(IAuditStore store)
    {
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
