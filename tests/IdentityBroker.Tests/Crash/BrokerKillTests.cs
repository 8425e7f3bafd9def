using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Replicas;
using IdentityBroker.Tests.Storage;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The broker process is SIGKILLed at random moments while many linking and merging calls run; after each kill
/// the store must hold no half-linked identity, and every acknowledged change must still be there after a restart.
/// Runs against SQLite (the broker's file) and Redis (AOF on; Redis itself stays up, only the broker dies).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BrokerKillTests
{
    private const int Rounds = 5;

    [Test]
    public async Task Sqlite_killing_the_broker_at_random_moments_leaves_no_half_linked_identity_and_loses_no_acknowledged_change()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("broker-kill-").FullName;
        try
        {
            var settings = new Dictionary<string, string> { ["Broker__Store"] = "sqlite", ["Broker__DataDirectory"] = dataDirectory };

            // Opened after the broker created the file; a second process on one SQLite file in WAL mode is supported.
            SqliteBrokerStore? store = null;
            try
            {
                await RunAsync(settings, () => store ??= new SqliteBrokerStore(Path.Combine(dataDirectory, "broker.db")), rawScan: null);
            }
            finally
            {
                store?.Dispose();
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Redis_killing_the_broker_at_random_moments_leaves_no_half_linked_identity_and_loses_no_acknowledged_change()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        var prefix = $"ibk-{Guid.NewGuid():N}";
        var dataDirectory = Directory.CreateTempSubdirectory("broker-kill-").FullName;
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var store = new RedisBrokerStore(connection, prefix);
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Broker__Store"] = "redis",
                ["Broker__Redis__Configuration"] = redis.Configuration,
                ["Broker__Redis__KeyPrefix"] = prefix,
                ["Broker__DataDirectory"] = dataDirectory,
            };
            await RunAsync(settings, () => store, poolId => RedisLayoutProblemsAsync(connection.GetDatabase(), prefix, poolId));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task RunAsync(
        Dictionary<string, string> settings, Func<IIdentityStore> openStore, Func<string, Task<IReadOnlyList<string>>>? rawScan)
    {
        var seed = Environment.TickCount;
        await TestContext.Out.WriteLineAsync($"seed {seed}");
        var random = new Random(seed);
        await using var issuers = await LoopbackOidcIssuers.StartAsync();
        var total = Stopwatch.StartNew();
        var broker = await BrokerProcess.StartAsync(settings);
        LinkingWorkload workload;
        try
        {
            var poolId = await CreatePoolAsync(broker, issuers);
            var store = openStore();
            workload = new LinkingWorkload(issuers, poolId, store, workers: 6, usersPerWorker: 3, seed);
            for (var round = 1; round <= Rounds; round++)
            {
                var (acknowledged, killedAfter) = await workload.RunUntilKilledAsync(broker, random.Next(50, 401));
                await broker.DisposeAsync();
                var problems = await workload.CheckAfterKillAsync();
                if (rawScan is not null)
                {
                    problems.AddRange(await rawScan(poolId));
                }

                await TestContext.Out.WriteLineAsync(
                    $"round {round}: killed {killedAfter} ms after warm-up; {acknowledged} calls acknowledged, " +
                    $"{workload.AcknowledgedIdentities.Count} identities so far; {problems.Count} problems");
                Assert.That(problems, Is.Empty, $"round {round}, seed {seed}");

                broker = await BrokerProcess.StartAsync(settings);
                Assert.That(await workload.CheckThroughBrokerAsync(broker), Is.Empty, $"after restart {round}, seed {seed}");
            }
        }
        finally
        {
            await broker.DisposeAsync();
        }

        await TestContext.Out.WriteLineAsync($"{Rounds} kill rounds in {total.Elapsed.TotalSeconds:F1} s; answers: " +
            string.Join(", ", workload.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} ×{o.Value}")));
    }

    private static async Task<string> CreatePoolAsync(BrokerProcess broker, LoopbackOidcIssuers issuers)
    {
        var arns = new List<string>();
        foreach (var name in LinkingWorkload.Issuers)
        {
            var form = $"Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url={Uri.EscapeDataString(issuers.Issuer(name))}&ClientIDList.member.1={LoopbackOidcIssuers.ClientId}";
            using var created = await broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.FormRequest(form), broker.BaseAddress, "iam", form));
            var xml = await created.Content.ReadAsStringAsync();
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
            arns.Add($"arn:aws:iam::000000000000:oidc-provider/{issuers.ProviderKey(name)}");
        }

        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["IdentityPoolName"] = "crash",
            ["AllowUnauthenticatedIdentities"] = false,
            ["DeveloperProviderName"] = LinkingWorkload.DeveloperProvider,
            ["OpenIdConnectProviderARNs"] = arns,
        });
        using var pool = await broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.JsonRequest("CreateIdentityPool", body), broker.BaseAddress, "cognito-identity", body));
        var json = await pool.Content.ReadAsStringAsync();
        Assert.That(pool.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
        return JsonDocument.Parse(json).RootElement.GetProperty("IdentityPoolId").GetString()!;
    }

    /// <summary>
    /// What the store abstraction cannot see on Redis: the pool's login hash and the identities' logins JSON must
    /// describe the same links, and the listing sets must hold exactly the identities (enabled ones in <c>:enabled</c>).
    /// </summary>
    private static async Task<IReadOnlyList<string>> RedisLayoutProblemsAsync(IDatabase db, string prefix, string poolId)
    {
        var problems = new List<string>();
        var slot = $"{prefix}:{{pool:{poolId}}}:";
        var hashed = (await db.HashGetAllAsync(slot + "logins")).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
        var ids = (await db.SortedSetRangeByRankAsync(slot + "ids")).Select(v => (string)v!).ToList();
        var enabled = (await db.SortedSetRangeByRankAsync(slot + "enabled")).Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var fields = await db.HashGetAsync(slot + "identity:" + id, ["logins", "disabled"]);
            if (fields[0].IsNull)
            {
                problems.Add($"identity {id} is listed in :ids but has no hash");
                continue;
            }

            if ((string)fields[1]! == "0" != enabled.Contains(id))
            {
                problems.Add($"identity {id}: disabled={fields[1]} disagrees with the :enabled set");
            }

            foreach (var login in JsonDocument.Parse((string)fields[0]!).RootElement.EnumerateArray())
            {
                var provider = login[0].GetString()!;
                var field = $"{System.Text.Encoding.UTF8.GetByteCount(provider)}:{provider}{login[1].GetString()}";
                if (!listed.TryAdd(field, id))
                {
                    problems.Add($"login {field} is listed by {listed[field]} and {id}");
                }
            }
        }

        problems.AddRange(enabled.Where(id => !ids.Contains(id)).Select(id => $"identity {id} is in :enabled but not in :ids"));
        foreach (var (field, owner) in hashed)
        {
            if (!listed.TryGetValue(field, out var lister) || lister != owner)
            {
                problems.Add($"login hash maps {field} to {owner}, but {(lister is null ? "no identity lists it" : "identity " + lister + " lists it")}");
            }
        }

        problems.AddRange(listed.Where(l => !hashed.ContainsKey(l.Key)).Select(l => $"identity {l.Value} lists {l.Key}, which the login hash does not map"));
        return problems;
    }
}
