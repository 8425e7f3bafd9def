using IdentityBroker.Storage.Redis;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// The whole store contract against a real 3-master Redis Cluster: every script must keep to one slot (a
/// cross-slot script fails with CROSSSLOT), and the client must route each call to the node that owns the slot.
/// </summary>
[TestFixture]
public sealed class RedisClusterStoreContractTests : StoreContractTests
{
    private LocalRedisCluster _cluster = null!;
    private ConnectionMultiplexer _connection = null!;
    private string _prefix = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        _cluster = await LocalRedisCluster.StartAsync(); // throws, with the reason, when no cluster can be formed
        _connection = await ConnectionMultiplexer.ConnectAsync(_cluster.Configuration);
        await TestContext.Progress.WriteLineAsync($"Redis Cluster of 3 masters formed in {stopwatch.ElapsedMilliseconds} ms");
        Assert.That(_connection.GetServers().Count(s => !s.IsReplica && s.ServerType == ServerType.Cluster), Is.EqualTo(3));
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        await _connection.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    protected override ContractStore CreateStore()
    {
        _prefix = $"ibc-{Guid.NewGuid():N}";
        return ContractStore.Of(new RedisBrokerStore(_connection, _prefix));
    }

    /// <summary>The merged identity's sync-count hash made a string: the merge script's checks meet it before writing anything.</summary>
    protected override Task BreakSyncDatasetMovesAsync(string poolId, string identityId) =>
        _connection.GetDatabase().StringSetAsync($"{_prefix}:{{pool:{poolId}}}:sync:count:{identityId}", "broken");

    /// <summary>A new connection of its own, as a restarted broker would open.</summary>
    protected override ContractStore ReopenStore() =>
        ContractStore.Of(RedisBrokerStore.Connect(new RedisStoreOptions { Configuration = _cluster.Configuration, KeyPrefix = _prefix }));
}
