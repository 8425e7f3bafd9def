using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>What the contract cannot say: outages, durability across a kill -9 of Redis, and the cluster key layout.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisBrokerStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static CancellationToken None => CancellationToken.None;

    [Test]
    public void Without_redis_a_call_fails_fast_with_the_unavailable_exception()
    {
        using var store = RedisBrokerStore.Connect(Options($"127.0.0.1:{ClosedPort()}"));

        var stopwatch = Stopwatch.StartNew();
        Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetPoolAsync("us-east-1:missing", None));
        Assert.ThrowsAsync<StoreUnavailableException>(() => store.CountPoolsAsync(None));

        Assert.That(stopwatch.Elapsed, Is.LessThan(Timeout * 3), "no hang: the configured timeout bounds each call");
    }

    [Test]
    public async Task Acknowledged_identities_and_links_survive_kill_9_of_redis_and_the_store_recovers_by_itself()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: true);
        using var store = RedisBrokerStore.Connect(Options(redis.Configuration));
        var pool = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "durable", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        await store.CreatePoolAsync(pool, None);
        var created = new List<Identity>();
        for (var i = 0; i < 20; i++)
        {
            var resolution = await store.ResolveLoginsAsync(Candidate(pool.IdentityPoolId), [new LoginKey("accounts.google.com", $"user-{i}")], T0, None);
            created.Add(resolution.Identity!);
        }

        var linked = await store.ResolveLoginsAsync(created[0], [new LoginKey("graph.facebook.com", "fb-0")], T0.AddHours(1), None);
        Assert.That(linked.Kind, Is.EqualTo(LoginResolutionKind.Existing));

        await redis.KillAsync();
        var stopwatch = Stopwatch.StartNew();
        Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetIdentityAsync(created[1].IdentityId, None));
        Assert.That(stopwatch.Elapsed, Is.LessThan(Timeout * 3), "a call while Redis is down fails fast");

        await redis.RestartAsync();
        var recovery = Stopwatch.StartNew();
        await WaitUntilAnswersAsync(store, TimeSpan.FromSeconds(15));
        await TestContext.Out.WriteLineAsync($"store answered again {recovery.ElapsedMilliseconds} ms after redis-server restarted");

        var page = await store.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, None);
        Assert.That(page.Items.Select(i => i.IdentityId), Is.EquivalentTo(created.Select(i => i.IdentityId)));
        var first = await store.GetIdentityAsync(created[0].IdentityId, None);
        Assert.That(first!.Logins, Is.EqualTo(new[] { new LoginKey("accounts.google.com", "user-0"), new LoginKey("graph.facebook.com", "fb-0") }));
        var again = await store.ResolveLoginsAsync(Candidate(pool.IdentityPoolId), [new LoginKey("graph.facebook.com", "fb-0")], T0, None);
        Assert.That(again.Identity!.IdentityId, Is.EqualTo(created[0].IdentityId), "the link still maps the login to its identity");
    }

    [Test]
    public async Task Every_key_of_a_pool_shares_one_cluster_slot()
    {
        await using var redis = await RedisTestServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var prefix = $"ibslot-{Guid.NewGuid():N}";
        var store = new RedisBrokerStore(connection, prefix);
        var poolId = $"us-east-1:{Guid.NewGuid()}";
        await store.CreatePoolAsync(new IdentityPool { IdentityPoolId = poolId, IdentityPoolName = "slots", AllowUnauthenticatedIdentities = true, CreationDate = T0 }, None);
        for (var i = 0; i < 5; i++)
        {
            await store.ResolveLoginsAsync(Candidate(poolId), [new LoginKey("accounts.google.com", $"s-{i}")], T0, None);
        }

        var server = connection.GetServers().Single();
        var keys = await server.KeysAsync(pattern: $"{prefix}:*").Select(k => (string)k!).ToListAsync();
        var poolKeys = keys.Where(k => k.Contains($"{{pool:{poolId}}}", StringComparison.Ordinal)).ToList();

        Assert.That(poolKeys, Has.Count.GreaterThanOrEqualTo(5 + 4), "alive, seq, ids, enabled, logins and the identities");
        Assert.That(poolKeys.Select(k => connection.HashSlot(k)).Distinct().ToList(), Has.Count.EqualTo(1));
        Assert.That(keys.Except(poolKeys), Has.All.Match("\\{(pools|identity:[^}]+|keys|iam|saml)\\}"), "everything else is in its own tag");
    }

    [Test]
    public async Task An_identity_read_once_is_found_again_after_its_id_was_deleted_and_created_in_another_pool()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        using var store = RedisBrokerStore.Connect(Options(redis.Configuration));
        var first = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "first", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        var second = first with { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "second" };
        await store.CreatePoolAsync(first, None);
        await store.CreatePoolAsync(second, None);
        var identity = Candidate(first.IdentityPoolId);
        await store.CreateIdentityAsync(identity, None);
        Assert.That((await store.GetIdentityAsync(identity.IdentityId, None))?.IdentityPoolId, Is.EqualTo(first.IdentityPoolId), "read once: its pool is remembered");

        await store.DeleteIdentityAsync(identity.IdentityId, None);
        Assert.That(await store.GetIdentityAsync(identity.IdentityId, None), Is.Null, "the remembered pool no longer holds it");
        await store.CreateIdentityAsync(identity with { IdentityPoolId = second.IdentityPoolId }, None);

        Assert.That((await store.GetIdentityAsync(identity.IdentityId, None))?.IdentityPoolId, Is.EqualTo(second.IdentityPoolId));
    }

    [Test]
    public async Task A_known_identity_is_read_and_marked_seen_on_its_pool_slot_without_reading_the_id_index()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        using var store = RedisBrokerStore.Connect(Options(redis.Configuration));
        var pool = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "trips", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        await store.CreatePoolAsync(pool, None);
        var identity = Candidate(pool.IdentityPoolId);
        await store.CreateIdentityAsync(identity, None);
        var server = admin.GetServers().Single();
        await server.ConfigResetStatisticsAsync();

        var read = await store.GetIdentityAsync(identity.IdentityId, None);
        await store.RecordLastSeenAsync(identity.IdentityId, T0.AddHours(2), None);
        await store.CountPoolsAsync(None); // after the last-seen write on the same connection (that write is not waited for)

        var calls = await CommandCallsAsync(server);
        Assert.That(read?.IdentityPoolId, Is.EqualTo(pool.IdentityPoolId));
        Assert.That(calls.GetValueOrDefault("get"), Is.Zero, "the creating store remembers the pool: the id index is not read");
        Assert.That(calls.GetValueOrDefault("evalsha") + calls.GetValueOrDefault("eval"), Is.EqualTo(2), "one script for the read, one for last seen");
        Assert.That(await store.GetLastSeenAsync(identity.IdentityId, None), Is.EqualTo(T0.AddHours(2)));
    }

    [Test]
    public async Task On_one_redis_node_an_identity_this_store_never_read_is_read_with_its_index_in_one_script()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var options = Options(redis.Configuration);
        using var creator = RedisBrokerStore.Connect(options);
        using var reader = RedisBrokerStore.Connect(options);
        var pool = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "indexed", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        await creator.CreatePoolAsync(pool, None);
        var identity = Candidate(pool.IdentityPoolId) with { Logins = [new LoginKey("accounts.google.com", "indexed-1")] };
        await creator.CreateIdentityAsync(identity, None);
        await reader.CountPoolsAsync(None);
        var server = admin.GetServers().Single();
        await server.ConfigResetStatisticsAsync();

        var read = await reader.GetIdentityAsync(identity.IdentityId, None);

        var calls = await CommandCallsAsync(server);
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.IdentityPoolId, Is.EqualTo(pool.IdentityPoolId));
        Assert.That(read.Logins, Is.EqualTo(identity.Logins));
        Assert.That(calls.GetValueOrDefault("evalsha") + calls.GetValueOrDefault("eval"), Is.EqualTo(1), "one script");
        Assert.That(calls.Keys, Is.SubsetOf(new[] { "evalsha", "eval", "script", "get", "exists", "hmget", "info", "config" }), "nothing besides what the script runs");
        Assert.That(await reader.GetIdentityAsync($"us-east-1:{Guid.NewGuid()}", None), Is.Null, "an id the index does not know");
    }

    [Test]
    public async Task Last_seen_sent_by_a_store_that_never_read_the_identity_is_recorded_in_the_pool_its_index_names()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        var options = Options(redis.Configuration);
        using var creator = RedisBrokerStore.Connect(options);
        using var other = RedisBrokerStore.Connect(options);
        var first = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "first", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        var second = first with { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "second" };
        await creator.CreatePoolAsync(first, None);
        await creator.CreatePoolAsync(second, None);
        var identity = Candidate(second.IdentityPoolId);
        await creator.CreateIdentityAsync(identity, None);

        await other.RecordLastSeenAsync(identity.IdentityId, T0.AddHours(3), None);
        await other.RecordLastSeenAsync($"us-east-1:{Guid.NewGuid()}", T0.AddHours(3), None);

        Assert.That(await other.GetLastSeenAsync(identity.IdentityId, None), Is.EqualTo(T0.AddHours(3)));
        Assert.That(await creator.GetLastSeenAsync(identity.IdentityId, None), Is.EqualTo(T0.AddHours(3)), "stored in Redis, not in the replica");
    }

    private static async Task<Dictionary<string, long>> CommandCallsAsync(IServer server)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in (await server.InfoAsync("commandstats")).SelectMany(g => g))
        {
            var calledPart = entry.Value.Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal));
            var command = entry.Key["cmdstat_".Length..].Split('|')[0]; // Redis 7 counts subcommands apart (config|resetstat)
            calls[command] = calls.GetValueOrDefault(command) + long.Parse(calledPart["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        return calls;
    }

    private static RedisStoreOptions Options(string configuration) =>
        new() { Configuration = configuration, KeyPrefix = $"ibt-{Guid.NewGuid():N}", OperationTimeout = Timeout };

    private static Identity Candidate(string poolId) => new()
    {
        IdentityId = $"us-east-1:{Guid.NewGuid()}",
        IdentityPoolId = poolId,
        CreationDate = T0,
        LastModifiedDate = T0,
    };

    private static async Task WaitUntilAnswersAsync(RedisBrokerStore store, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await store.CountPoolsAsync(None);
                return;
            }
            catch (StoreUnavailableException) when (deadline.Elapsed < within)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
