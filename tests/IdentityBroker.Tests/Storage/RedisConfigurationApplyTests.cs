using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using StackExchange.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// A Redis configuration apply writes in steps (IAM, then pools, then IAM deletions), each one script with a version check.
/// The contract tests cover a change seen before any step; this one races a real other writer against applies, so that
/// its changes land before, between and after the steps: whatever happens, an apply is whole or refused with nothing left.
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
    public async Task Under_another_writer_rewriting_the_pool_an_apply_is_either_whole_or_refused_with_its_role_step_undone()
    {
        var pool = new IdentityPool { IdentityPoolId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolName = "raced", AllowUnauthenticatedIdentities = true, CreationDate = T0 };
        await _store.CreatePoolAsync(pool, None);
        using var stop = new CancellationTokenSource();

        // The other writer: the pool's name flips as fast as Redis takes it, between any two steps of an apply.
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await _store.UpdatePoolAsync(pool with { IdentityPoolName = $"theirs-{i % 2}" }, None);
            }
        });

        var refused = 0;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var before = (await _store.GetPoolAsync(pool.IdentityPoolId, None))!;
            var role = Role($"r{attempt}");
            var write = await _store.ApplyConfigurationAsync(new ConfigurationChanges(
                [new(role.RoleName, null, role)], [], [], [new(pool.IdentityPoolId, before, before with { IdentityPoolName = "mine" })]), None);
            var stored = await _store.GetRoleAsync(role.RoleName, None);
            if (write.Applied)
            {
                Assert.That(stored, Is.Not.Null, "an applied change is whole");
                continue;
            }

            refused++;
            Assert.That(write.Interfered, Is.EqualTo(new[] { $"IdentityPool {pool.IdentityPoolId}" }));
            Assert.That(write.LeftChanged, Is.Empty);
            Assert.That(stored, Is.Null, "a refused apply leaves no role behind, even one its first step wrote");
        }

        await stop.CancelAsync();
        await writer;
        Assert.That(refused, Is.GreaterThan(0), "the other writer interfered at least once");
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
