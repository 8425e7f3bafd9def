using IdentityBroker.Storage.Redis;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>The whole store contract against a real Redis; each test gets its own key prefix (empty storage).</summary>
[TestFixture]
public sealed class RedisStoreContractTests : StoreContractTests
{
    private RedisTestServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private readonly List<string> _prefixes = [];
    private string _prefix = "";

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        _redis = await RedisTestServer.StartAsync();
        await TestContext.Progress.WriteLineAsync($"Redis contract tests on {_redis.Source}");
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        // A shared Redis (REDIS_URL) keeps nothing of these tests.
        foreach (var server in _connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            foreach (var prefix in _prefixes)
            {
                await foreach (var key in server.KeysAsync(pattern: prefix + ":*"))
                {
                    await _connection.GetDatabase().KeyDeleteAsync(key);
                }
            }
        }

        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    protected override ContractStore CreateStore()
    {
        _prefix = $"ibt-{Guid.NewGuid():N}";
        _prefixes.Add(_prefix);
        return ContractStore.Of(new RedisBrokerStore(_connection, _prefix));
    }

    /// <summary>The merged identity's sync-count hash made a string: the merge script's checks meet it before writing anything.</summary>
    protected override Task BreakSyncDatasetMovesAsync(string poolId, string identityId) =>
        _connection.GetDatabase().StringSetAsync($"{_prefix}:{{pool:{poolId}}}:sync:count:{identityId}", "broken");

    /// <summary>A new connection of its own, as a restarted broker would open.</summary>
    protected override ContractStore ReopenStore() =>
        ContractStore.Of(RedisBrokerStore.Connect(new RedisStoreOptions { Configuration = _redis.Configuration, KeyPrefix = _prefix }));
}
