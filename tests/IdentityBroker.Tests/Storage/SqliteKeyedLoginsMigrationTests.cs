using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Sqlite;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// A data directory written before the keyed-logins schema (docs/storage.md, "Identities at scale") is migrated in place
/// when today's store opens it, and serves every identity as before: same ids, logins in link order, last-seen times,
/// listings in creation order; opening it again changes nothing.
/// </summary>
[TestFixture]
public sealed class SqliteKeyedLoginsMigrationTests
{
    private const int Count = 600;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private string _directory = "";
    private string _path = "";
    private IdentityPool _pool = null!;
    private IdentityPool _other = null!;

    [SetUp]
    public async Task WriteFileOfTheOldSchema()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"ib-keyed-logins-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "broker.db");
        _pool = Pool();
        _other = Pool();
        await PreKeyedLoginsFile.CreateAsync(_path, [_pool, _other]);
        await PreKeyedLoginsFile.AddIdentitiesAsync(_path, _pool.IdentityPoolId, 1, Count, T0);

        // The same subjects in another pool are other logins of other identities.
        await PreKeyedLoginsFile.AddIdentitiesAsync(_path, _other.IdentityPoolId, Count + 1, 30, T0);
        await PreKeyedLoginsFile.ScalarAsync(_path,
            $"UPDATE logins SET subject = 'user-' || (CAST(substr(subject, 6) AS INTEGER) - {Count}) WHERE pool_id = '{_other.IdentityPoolId}' AND provider = '{PreKeyedLoginsFile.Provider}';");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Every_identity_is_served_with_its_id_logins_and_last_seen_after_the_migration()
    {
        Assert.That(await PreKeyedLoginsFile.ScalarAsync(_path, "SELECT MAX(version) FROM schema_version;"), Is.EqualTo((long)PreKeyedLoginsFile.Version));
        using var store = new SqliteBrokerStore(_path);
        await AssertServedAsync(store);
        Assert.That(await PreKeyedLoginsFile.ScalarAsync(_path, "SELECT group_concat(version) FROM schema_version;"),
            Is.EqualTo(string.Join(',', Enumerable.Range(1, SqliteSchema.CurrentVersion))));
    }

    [Test]
    public async Task Opening_the_migrated_file_again_migrates_nothing_twice_and_serves_the_same()
    {
        using (var first = new SqliteBrokerStore(_path))
        {
            await first.CountPoolsAsync(CancellationToken.None);
        }

        using var second = new SqliteBrokerStore(_path);
        await AssertServedAsync(second);
        Assert.That(await PreKeyedLoginsFile.ScalarAsync(_path, "SELECT COUNT(*) FROM schema_version;"), Is.EqualTo((long)SqliteSchema.CurrentVersion));
        Assert.That(await PreKeyedLoginsFile.ScalarAsync(_path, "SELECT COUNT(*) FROM logins;"), Is.EqualTo((long)LoginCount(Count) + LoginCount(30, Count + 1)));
    }

    [Test]
    public async Task GetId_of_a_migrated_login_finds_its_identity_and_creates_none()
    {
        using var store = new SqliteBrokerStore(_path);
        var candidate = new Identity { IdentityId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolId = _pool.IdentityPoolId };

        var resolution = await store.ResolveLoginsAsync(candidate, [Google(2)], T0.AddDays(1), CancellationToken.None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Existing));
        Assert.That(resolution.Identity!.IdentityId, Is.EqualTo(PreKeyedLoginsFile.IdentityId(2)));
        Assert.That(await store.GetIdentityAsync(candidate.IdentityId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_login_linked_after_the_migration_comes_after_the_migrated_ones_and_goes_with_its_identity()
    {
        using var store = new SqliteBrokerStore(_path);
        var id = PreKeyedLoginsFile.IdentityId(10);
        var candidate = new Identity { IdentityId = id, IdentityPoolId = _pool.IdentityPoolId };
        var added = new LoginKey("graph.facebook.com", "f-10");

        var linked = await store.ResolveLoginsAsync(candidate, [Google(10), added], T0.AddDays(1), CancellationToken.None);

        Assert.That(linked.Identity!.Logins, Is.EqualTo(new[] { Google(10), Developer(10), added }));
        Assert.That(await store.DeleteIdentityAsync(id, CancellationToken.None), Is.True);
        foreach (var login in new[] { Google(10), Developer(10), added })
        {
            Assert.That(await store.FindLoginOwnerAsync(_pool.IdentityPoolId, login, CancellationToken.None), Is.Null, $"{login} is free again");
        }
    }

    [Test]
    public async Task The_stale_identity_sweep_reads_the_migrated_last_seen_times()
    {
        using var store = new SqliteBrokerStore(_path);

        // Identity 14 was seen at T0 + 14 s, identity 13 never (its creation time counts); 15 was seen at T0 + 15 s.
        Assert.That(await store.DeleteIdentityIfStaleAsync(PreKeyedLoginsFile.IdentityId(14), T0.AddSeconds(14), false, CancellationToken.None), Is.False);
        Assert.That(await store.DeleteIdentityIfStaleAsync(PreKeyedLoginsFile.IdentityId(14), T0.AddSeconds(15), false, CancellationToken.None), Is.True);
        Assert.That(await store.DeleteIdentityIfStaleAsync(PreKeyedLoginsFile.IdentityId(13), T0.AddSeconds(1), guestOnly: true, CancellationToken.None), Is.False, "13 has a login");
        Assert.That(await store.DeleteIdentityIfStaleAsync(PreKeyedLoginsFile.IdentityId(12), T0.AddSeconds(1), guestOnly: true, CancellationToken.None), Is.True, "12 is a guest");
        Assert.That(await store.GetLastSeenAsync(PreKeyedLoginsFile.IdentityId(14), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task The_migrated_tables_are_keyed_by_the_lookups_with_no_other_index()
    {
        using (var store = new SqliteBrokerStore(_path))
        {
            await store.CountPoolsAsync(CancellationToken.None);
        }

        Assert.That(await PreKeyedLoginsFile.ScalarAsync(_path, "SELECT sql FROM sqlite_master WHERE name = 'logins';"), Does.Contain("WITHOUT ROWID"));
        Assert.That(await PreKeyedLoginsFile.ScalarAsync(_path,
            "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('logins', 'identity_last_seen');"), Is.EqualTo("logins_by_identity"));
    }

    private async Task AssertServedAsync(SqliteBrokerStore store)
    {
        for (var n = 1; n <= Count; n++)
        {
            var id = PreKeyedLoginsFile.IdentityId(n);
            var identity = await store.GetIdentityAsync(id, CancellationToken.None);
            Assert.That(identity, Is.Not.Null, id);
            Assert.That(identity!.IdentityPoolId, Is.EqualTo(_pool.IdentityPoolId));
            Assert.That(identity.Disabled, Is.EqualTo(PreKeyedLoginsFile.IsDisabled(n)));
            Assert.That(identity.CreationDate, Is.EqualTo(T0));
            Assert.That(identity.Logins, Is.EqualTo(ExpectedLogins(n)), id);
            foreach (var login in identity.Logins)
            {
                Assert.That(await store.FindLoginOwnerAsync(_pool.IdentityPoolId, login, CancellationToken.None), Is.EqualTo(id));
            }

            Assert.That(await store.GetLastSeenAsync(id, CancellationToken.None), Is.EqualTo(PreKeyedLoginsFile.IsSeen(n) ? T0.AddSeconds(n) : T0));
        }

        Assert.That(await store.FindLoginOwnerAsync(_other.IdentityPoolId, Google(2), CancellationToken.None), Is.EqualTo(PreKeyedLoginsFile.IdentityId(Count + 2)));

        // Listed in creation order, page by page, as before.
        var listed = new List<string>();
        string? next = null;
        do
        {
            var page = await store.ListIdentitiesAsync(_pool.IdentityPoolId, 60, next, false, CancellationToken.None);
            listed.AddRange(page.Items.Select(i => i.IdentityId));
            next = page.NextToken;
        }
        while (next is not null);

        Assert.That(listed, Is.EqualTo(Enumerable.Range(1, Count).Select(PreKeyedLoginsFile.IdentityId)));
    }

    private static List<LoginKey> ExpectedLogins(int n) =>
        PreKeyedLoginsFile.IsGuest(n) ? []
        : PreKeyedLoginsFile.HasDeveloperLogin(n) ? [Google(n), Developer(n)]
        : [Google(n)];

    private static int LoginCount(int count, int first = 1) =>
        Enumerable.Range(first, count).Sum(n => PreKeyedLoginsFile.IsGuest(n) ? 0 : PreKeyedLoginsFile.HasDeveloperLogin(n) ? 2 : 1);

    private static LoginKey Google(int n) => new(PreKeyedLoginsFile.Provider, PreKeyedLoginsFile.Subject(n));

    private static LoginKey Developer(int n) => new(PreKeyedLoginsFile.Developer, PreKeyedLoginsFile.DeveloperSubject(n));

    private static IdentityPool Pool() => new()
    {
        IdentityPoolId = $"us-east-1:{Guid.NewGuid()}",
        IdentityPoolName = "pool",
        AllowUnauthenticatedIdentities = true,
        CreationDate = T0,
    };
}
