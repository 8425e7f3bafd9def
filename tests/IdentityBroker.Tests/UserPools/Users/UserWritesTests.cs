using IdentityBroker.Storage.Sqlite;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Users;

/// <summary>UserWrites' compare-and-swap: a change that loses the race to another write is re-read and re-applied.</summary>
public sealed class UserWritesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-user-writes-{Guid.NewGuid():N}");
    private SqliteBrokerStore _store = null!;
    private UserWrites _writes = null!;
    private UserPool _pool = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        _writes = new UserWrites(_store, _store, new UserLookup(_store), new FakeTimeProvider(T0));
        _pool = new UserPool("us-east-1_writes", "p", "arn", new UserPoolSettings(PasswordPolicy.Default, "INACTIVE", "OFF", null, null),
            null, null, T0, T0);
        await _store.TryCreateUserPoolAsync(_pool, CancellationToken.None);
        var user = new PoolUser
        {
            UserPoolId = _pool.Id, Username = "lena", Sub = Guid.NewGuid().ToString(), UserStatus = UserStatuses.Confirmed,
            CreationDate = T0, LastModifiedDate = T0,
        };
        await _store.TryCreateUserAsync(user, UserKeys.Of(_pool, user), CancellationToken.None);
    }

    [TearDown]
    public void Delete()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task A_change_overtaken_by_another_write_is_applied_again_on_the_new_version_and_loses_nothing()
    {
        var calls = 0;

        var result = await _writes.ChangeAsync(_pool.Id, "lena", (pool, user) =>
        {
            if (++calls == 1)
            {
                // Another request disables the user between this change's read and its write.
                var concurrent = user with { Enabled = false };
                _store.UpdateUserAsync(concurrent, UserKeys.Of(pool, concurrent), CancellationToken.None).GetAwaiter().GetResult();
            }

            return user with { Attributes = new Dictionary<string, string> { ["nickname"] = "L" } };
        }, CancellationToken.None);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(calls, Is.EqualTo(2));
        var stored = await new UserLookup(_store).FindAsync(_pool, "lena", CancellationToken.None);
        Assert.That((stored!.Enabled, stored.Attribute("nickname"), stored.Version), Is.EqualTo((false, "L", 3L)));
    }

    [Test]
    public async Task A_change_to_a_missing_user_is_UserNotFoundException_and_a_refused_change_writes_nothing()
    {
        var missing = await _writes.ChangeAsync(_pool.Id, "nobody", (_, u) => u, CancellationToken.None);
        var refused = await _writes.ChangeAsync(_pool.Id, "lena", (_, _) => UserErrors.BadFilter, CancellationToken.None);

        Assert.That(missing.Error, Is.EqualTo(UserErrors.UserNotFound));
        Assert.That(refused.Error, Is.EqualTo(UserErrors.BadFilter));
        Assert.That((await new UserLookup(_store).FindAsync(_pool, "lena", CancellationToken.None))!.Version, Is.EqualTo(1));
    }
}
