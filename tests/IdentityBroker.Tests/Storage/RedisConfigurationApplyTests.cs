using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// A Redis configuration apply writes in steps (IAM, then pools, then IAM deletions), each one script with a version check.
/// The contract tests cover a change seen before any step; these cover another writer's change that only a later step's
/// check sees, after an earlier step has written: the earlier step is undone and the report says so.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisConfigurationApplyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private RedisTestServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private string _prefix = null!;
    private RedisBrokerStore _store = null!;

    private static CancellationToken None => CancellationToken.None;

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        _redis = await RedisTestServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [SetUp]
    public void NewStore()
    {
        _prefix = $"ibcfg-{Guid.NewGuid():N}";
        _store = new RedisBrokerStore(_connection, _prefix);
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [Test]
    public async Task A_pool_rewritten_by_another_writer_between_the_read_and_the_pools_step_undoes_the_role_step_and_is_named()
    {
        var pool = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "raced", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        await _store.CreatePoolAsync(pool, None);
        var existing = Role("existing");
        await _store.TryCreateRoleAsync(existing, None);

        // Another writer stores the same content in other bytes (as another serializer would): the read's content check passes,
        // the pools step's byte-exact version check does not — the moment between the two steps, made deterministic.
        var stored = (string)(await _connection.GetDatabase().HashGetAsync($"{_prefix}:{{pools}}:docs", pool.IdentityPoolId))!;
        await _connection.GetDatabase().HashSetAsync($"{_prefix}:{{pools}}:docs", pool.IdentityPoolId, stored.Replace(",", ", ", StringComparison.Ordinal));

        var created = Role("created");
        var write = await _store.ApplyConfigurationAsync(new ConfigurationChanges(
            [new(created.RoleName, null, created), new(existing.RoleName, existing, existing with { Description = "changed" })],
            [],
            [],
            [new(pool.IdentityPoolId, pool, pool with { IdentityPoolName = "mine" })]), None);

        Assert.That(write.Applied, Is.False);
        Assert.That(write.Interfered, Is.EqualTo(new[] { $"IdentityPool {pool.IdentityPoolId}" }));
        Assert.That(write.LeftChanged, Is.Empty, "the role step was undone");
        Assert.That(await _store.GetRoleAsync("created", None), Is.Null);
        Assert.That((await _store.GetRoleAsync("existing", None))!.Description, Is.EqualTo("role"));
        Assert.That((await _store.GetPoolAsync(pool.IdentityPoolId, None))!.IdentityPoolName, Is.EqualTo("raced"));
    }

    private static IamRole Role(string name) => new()
    {
        RoleName = name,
        RoleId = $"AROA{name.ToUpperInvariant()}",
        Arn = $"arn:aws:iam::000000000000:role/{name}",
        AssumeRolePolicyDocument = "{}",
        Description = "role",
        CreateDate = T0,
    };
}
