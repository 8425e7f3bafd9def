using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Sync;
using IdentityBroker.Tests.Replicas;
using IdentityBroker.Tests.Storage;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The broker is SIGKILLed at random moments while devices write Cognito Sync datasets (issue 20: "nothing is lost or
/// half-written"). Two devices race on each identity's dataset, every write replacing the same three records with one
/// value, so a half-written UpdateRecords would leave the records disagreeing. After each kill, read straight from the
/// store: every dataset is whole (its records agree, its counts and sizes match them), every acknowledged write is there
/// (in the dataset, or followed by later ones), the stream holds each committed write once, in order, the last one the
/// dataset's state, and the pool's usage is the sum of its datasets. Runs on SQLite (the broker's file) and on Redis
/// (Redis stays up; only the broker dies).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class SyncKillTests
{
    private const int Rounds = 3;
    private const int Identities = 3;
    private const int DevicesPerDataset = 2;
    private const string Dataset = "game";
    private static readonly string[] Keys = ["level", "score", "badge"];

    [Test]
    public async Task Sqlite_killing_the_broker_while_devices_write_leaves_every_dataset_whole_and_loses_no_acknowledged_write()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("sync-kill-").FullName;
        try
        {
            await RunAsync(new Dictionary<string, string> { ["Broker__Store"] = "sqlite", ["Broker__DataDirectory"] = dataDirectory },
                () => new SqliteBrokerStore(Path.Combine(dataDirectory, "broker.db")));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Redis_killing_the_broker_while_devices_write_leaves_every_dataset_whole_and_loses_no_acknowledged_write()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        var prefix = $"ibs-{Guid.NewGuid():N}";
        var dataDirectory = Directory.CreateTempSubdirectory("sync-kill-").FullName;
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
            await RunAsync(settings, () => new RedisBrokerStore(connection, prefix));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task RunAsync(Dictionary<string, string> settings, Func<ISyncStore> openStore)
    {
        var seed = Environment.TickCount;
        await TestContext.Out.WriteLineAsync($"seed {seed}");
        var random = new Random(seed);
        var broker = await BrokerProcess.StartAsync(settings);
        try
        {
            var poolId = await CreateStreamingPoolAsync(broker);
            var devices = new List<Device>();
            for (var i = 0; i < Identities; i++)
            {
                var identityId = await GuestAsync(broker, poolId);
                devices.AddRange(Enumerable.Range(0, DevicesPerDataset).Select(d => new Device(poolId, identityId, $"device-{i}-{d}")));
            }

            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var device in devices)
                {
                    device.Token = await ListForTokenAsync(broker, device);
                }

                var killed = 0;
                var workers = devices.Select(d => Task.Run(() => WriteUntilKilledAsync(broker, d, () => Volatile.Read(ref killed) == 1))).ToArray();
                await WaitForAcknowledgementsAsync(devices, 2 * devices.Count);
                await Task.Delay(random.Next(100, 800));
                Volatile.Write(ref killed, 1);
                await broker.KillAsync();
                await Task.WhenAll(workers);
                await broker.DisposeAsync();

                var store = openStore();
                try
                {
                    var problems = await CheckAsync(store, poolId, devices);
                    await TestContext.Out.WriteLineAsync(
                        $"round {round}: {devices.Sum(d => d.Acknowledged.Count)} writes acknowledged, " +
                        $"{devices.Sum(d => d.Conflicts)} conflicts so far; {problems.Count} problems");
                    Assert.That(problems, Is.Empty, $"round {round}, seed {seed}");
                }
                finally
                {
                    (store as IDisposable)?.Dispose();
                }

                broker = await BrokerProcess.StartAsync(settings);
            }

            Assert.That(devices.Sum(d => d.Conflicts), Is.Positive, "the devices raced (some writes met a conflict)");
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    /// <summary>What the store holds after a kill, against what the devices were told.</summary>
    private static async Task<List<string>> CheckAsync(ISyncStore store, string poolId, IReadOnlyList<Device> devices)
    {
        var problems = new List<string>();
        var stream = new List<SyncStreamEntry>();
        string? position = null;
        while (await store.ReadSyncStreamAsync(poolId, position, 1000, CancellationToken.None) is { Count: > 0 } page)
        {
            stream.AddRange(page);
            position = page[^1].Position;
        }

        long storage = 0;
        foreach (var group in devices.GroupBy(d => d.IdentityId))
        {
            var identityId = group.Key;
            var dataset = await store.GetDatasetAsync(poolId, identityId, Dataset, CancellationToken.None);
            var records = await store.ListRecordsAsync(poolId, identityId, Dataset, 0, CancellationToken.None);
            var acknowledged = group.SelectMany(d => d.Acknowledged).ToList();
            var changes = stream.Where(e => e.Change.IdentityId == identityId).Select(e => e.Change).ToList();
            if (dataset is null)
            {
                problems.AddRange(acknowledged.Select(a => $"{identityId}: acknowledged write {a.Value} at {a.SyncCount}, but no dataset"));
                continue;
            }

            storage += dataset.DataStorage;
            problems.AddRange(WholeProblems(identityId, dataset, records));
            foreach (var (count, value) in acknowledged)
            {
                if (changes.FirstOrDefault(c => c.DatasetSyncCount == count) is not { } change || change.Records.Any(r => r.Value != value))
                {
                    problems.Add($"{identityId}: acknowledged write {value} at {count} is not in the stream");
                }

                if (count > dataset.SyncCount || count == dataset.SyncCount && records.Any(r => r.Value != value))
                {
                    problems.Add($"{identityId}: acknowledged write {value} at {count}, the dataset is at {dataset.SyncCount} ({(records.Count > 0 ? records[0].Value : null)})");
                }
            }

            if (!changes.Select(c => c.DatasetSyncCount).SequenceEqual(Enumerable.Range(1, (int)dataset.SyncCount).Select(i => (long)i)))
            {
                problems.Add($"{identityId}: the stream holds counts {string.Join(',', changes.Select(c => c.DatasetSyncCount))}, the dataset is at {dataset.SyncCount}");
            }
            else if (changes[^1].Records.Select(r => (r.Key, r.Value, r.SyncCount)).Order().SequenceEqual(records.Select(r => (r.Key, r.Value, r.SyncCount)).Order()) is false)
            {
                problems.Add($"{identityId}: the stream's last change is not the dataset's state");
            }
        }

        var usage = await store.GetPoolUsageAsync(poolId, CancellationToken.None);
        if (usage.DataStorage != storage)
        {
            problems.Add($"the pool's usage says {usage.DataStorage} bytes, its datasets hold {storage}");
        }

        return problems;
    }

    /// <summary>Every write replaces all of <see cref="Keys"/> with one value: a whole dataset has them agree, at its count.</summary>
    private static IEnumerable<string> WholeProblems(string identityId, SyncDataset dataset, IReadOnlyList<SyncRecordState> records)
    {
        if (records.Count != Keys.Length || records.Select(r => r.Value).Distinct().Count() != 1 || records.Any(r => r.SyncCount != dataset.SyncCount))
        {
            yield return $"{identityId}: half-written records {string.Join(", ", records.Select(r => $"{r.Key}={r.Value}@{r.SyncCount}"))} at dataset count {dataset.SyncCount}";
        }

        var bytes = records.Sum(r => SyncWritePlan.Size(r.Key, r.Value));
        if (dataset.NumRecords != records.Count(r => !r.Deleted) || dataset.DataStorage != bytes)
        {
            yield return $"{identityId}: the dataset counts {dataset.NumRecords} records and {dataset.DataStorage} bytes, its records {records.Count} and {bytes}";
        }
    }

    private static async Task WriteUntilKilledAsync(BrokerProcess broker, Device device, Func<bool> killed)
    {
        while (!killed())
        {
            var value = $"{device.DeviceId}:{++device.Sequence}";
            var patches = Keys.Select(k => new Dictionary<string, object> { ["Op"] = "replace", ["Key"] = k, ["Value"] = value, ["SyncCount"] = device.SyncCount });
            var body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["SyncSessionToken"] = device.Token, ["DeviceId"] = device.DeviceId, ["RecordPatches"] = patches,
            });
            try
            {
                using var response = await broker.Http.SendAsync(SyncRequest(broker, HttpMethod.Post, DatasetPath(device), body));
                var reply = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var count = JsonDocument.Parse(reply).RootElement.GetProperty("Records")[0].GetProperty("SyncCount").GetInt64();
                    device.Acknowledged.Add((count, value));
                    device.SyncCount = count;
                }
                else if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    // The stored count, when the answer names it (a Redis write that kept losing races names none: try again).
                    device.Conflicts++;
                    if (CurrentCount().Match(reply) is { Success: true } current)
                    {
                        device.SyncCount = long.Parse(current.Groups[1].Value, CultureInfo.InvariantCulture);
                    }
                }
                else if (!killed())
                {
                    Assert.Fail($"UpdateRecords answered {(int)response.StatusCode}: {reply}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                // Cut by the kill: this write may or may not have landed; either is whole.
            }
        }
    }

    private static async Task WaitForAcknowledgementsAsync(IReadOnlyList<Device> devices, int more)
    {
        var target = devices.Sum(d => d.Acknowledged.Count) + more;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (devices.Sum(d => d.Acknowledged.Count) < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static async Task<string> CreateStreamingPoolAsync(BrokerProcess broker)
    {
        var body = """{"IdentityPoolName":"sync-kill","AllowUnauthenticatedIdentities":true}""";
        using var pool = await broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.JsonRequest("CreateIdentityPool", body), broker.BaseAddress, "cognito-identity", body));
        var json = await pool.Content.ReadAsStringAsync();
        Assert.That(pool.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
        var poolId = JsonDocument.Parse(json).RootElement.GetProperty("IdentityPoolId").GetString()!;
        var streams = """{"CognitoStreams":{"StreamName":"changes","RoleArn":"arn:aws:iam::000000000000:role/streams","StreamingStatus":"ENABLED"}}""";
        using var configured = await broker.Http.SendAsync(SyncRequest(broker, HttpMethod.Post, $"/identitypools/{poolId}/configuration", streams));
        Assert.That(configured.StatusCode, Is.EqualTo(HttpStatusCode.OK), await configured.Content.ReadAsStringAsync());
        return poolId;
    }

    private static async Task<string> GuestAsync(BrokerProcess broker, string poolId)
    {
        using var response = await broker.Http.SendAsync(BrokerReplica.JsonRequest("GetId", $"{{\"IdentityPoolId\":\"{poolId}\"}}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("IdentityId").GetString()!;
    }

    private static async Task<string> ListForTokenAsync(BrokerProcess broker, Device device)
    {
        using var response = await broker.Http.SendAsync(SyncRequest(broker, HttpMethod.Get, DatasetPath(device) + "/records", ""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("SyncSessionToken").GetString()!;
    }

    private static string DatasetPath(Device device) => $"/identitypools/{device.PoolId}/identities/{device.IdentityId}/datasets/{Dataset}";

    /// <summary>
    /// A Cognito Sync REST call signed with the broker's admin key (which may make identity-level calls too). The signer
    /// takes the path unencoded and signs it encoded (the ids' ':' as %3A, then once more, as SigV4 does for every service
    /// but S3); the request then goes out with the path encoded once, as the AWS SDKs send it.
    /// </summary>
    private static HttpRequestMessage SyncRequest(BrokerProcess broker, HttpMethod method, string path, string body)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        BrokerReplica.Sign(request, broker.BaseAddress, "cognito-sync", body);
        request.RequestUri = new Uri(path.Replace(":", "%3A", StringComparison.Ordinal), UriKind.Relative);
        return request;
    }

    [GeneratedRegex(@"Current SyncCount for: \w+ is: (\d+)")]
    private static partial Regex CurrentCount();

    /// <summary>One device of one identity: the dataset's count as it last learned it, and the writes it was told landed.</summary>
    private sealed class Device(string poolId, string identityId, string deviceId)
    {
        public string PoolId { get; } = poolId;

        public string IdentityId { get; } = identityId;

        public string DeviceId { get; } = deviceId;

        public string Token { get; set; } = "";

        public long SyncCount { get; set; }

        public int Sequence { get; set; }

        public int Conflicts { get; set; }

        public ConcurrentBag<(long SyncCount, string Value)> Acknowledged { get; } = [];
    }
}
