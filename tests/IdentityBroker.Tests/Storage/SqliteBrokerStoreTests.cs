using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Sqlite;
using System.Diagnostics;
using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Tests.Storage;

/// <summary>What is particular to the SQLite file: its modes, its schema versions, what a crash leaves on disk.</summary>
public sealed class SqliteBrokerStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private string _directory = "";
    private string _path = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"ib-sqlite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "broker.db");
    }

    /// <summary>"1,2,…": every migration of the schema, applied once each.</summary>
    private static string AllVersions => string.Join(',', Enumerable.Range(1, SqliteSchema.CurrentVersion));

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Audit_records_leave_the_read_cache_as_it_is_and_other_writes_empty_it()
    {
        using var store = new SqliteBrokerStore(_path);
        var before = store.ReadGeneration;
        var id = Guid.NewGuid().ToString("D");
        await store.AppendAuditAsync([new IdentityBroker.Audit.AuditRecord(id, T0, "GetUser", "cognito-idp.amazonaws.com", true, null, "ann", [],
            $"{{\"eventID\":\"{id}\"}}")], CancellationToken.None);
        Assert.That(store.ReadGeneration, Is.EqualTo(before), "one audit record per call must not empty the cache of sessions, pools and users");

        await store.TryAddKeyAsync(new StoredKey("k1", "test", "bWF0ZXJpYWw=", T0), CancellationToken.None);
        Assert.That(store.ReadGeneration, Is.GreaterThan(before), "any other write empties it");
    }

    [Test]
    public async Task First_use_creates_the_file_in_wal_mode_with_the_schema_version()
    {
        using (var store = new SqliteBrokerStore(_path))
        {
            Assert.That(File.Exists(_path), Is.False, "nothing happens before first use");
            Assert.That(await store.CountPoolsAsync(CancellationToken.None), Is.Zero);
        }

        Assert.That(await ScalarAsync(_path, "PRAGMA journal_mode;"), Is.EqualTo("wal"));
        Assert.That(await ScalarAsync(_path, "SELECT group_concat(version) FROM schema_version;"), Is.EqualTo(AllVersions));
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_directory_are_created_for_the_owner_only()
    {
        var path = Path.Combine(_directory, "data", "nested", "broker.db");
        using (var store = new SqliteBrokerStore(path))
        {
            await store.TryAddKeyAsync(new StoredKey("kid", "signing", "secret", T0), CancellationToken.None);
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(path + "-wal"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        Assert.That(
            File.GetUnixFileMode(Path.GetDirectoryName(path)!),
            Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task Reopening_keeps_the_schema_and_applies_nothing_twice()
    {
        for (var i = 0; i < 3; i++)
        {
            using var store = new SqliteBrokerStore(_path);
            await store.CreatePoolAsync(Pool(), CancellationToken.None);
        }

        Assert.That(await ScalarAsync(_path, "SELECT group_concat(version) FROM schema_version;"), Is.EqualTo(AllVersions));
        Assert.That(await ScalarAsync(_path, "SELECT COUNT(*) FROM pools;"), Is.EqualTo(3L));
    }

    [Test]
    public async Task A_file_from_a_newer_broker_is_refused()
    {
        using (var store = new SqliteBrokerStore(_path))
        {
            await store.CreatePoolAsync(Pool(), CancellationToken.None);
        }

        await ScalarAsync(_path, "INSERT INTO schema_version (version) VALUES (99);");

        using var newer = new SqliteBrokerStore(_path);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => newer.CountPoolsAsync(CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("99"));
    }

    [Test]
    public async Task Acknowledged_writes_are_in_the_files_a_killed_process_would_leave()
    {
        var pool = Pool();
        var candidate = new Identity { IdentityId = "us-east-1:11111111-1111-1111-1111-111111111111", IdentityPoolId = pool.IdentityPoolId };
        using var store = new SqliteBrokerStore(_path);
        await store.CreatePoolAsync(pool, CancellationToken.None);
        await store.ResolveLoginsAsync(candidate, [new LoginKey("accounts.google.com", "g-1")], T0, CancellationToken.None);

        // The store stays open, as when the process is killed: copy the database and its WAL as they are now.
        var crashed = Path.Combine(_directory, "crashed.db");
        File.Copy(_path, crashed);
        File.Copy(_path + "-wal", crashed + "-wal");

        using var recovered = new SqliteBrokerStore(crashed);
        Assert.That(await recovered.GetPoolAsync(pool.IdentityPoolId, CancellationToken.None), Is.Not.Null);
        var identity = await recovered.GetIdentityAsync(candidate.IdentityId, CancellationToken.None);
        Assert.That(identity!.Logins, Is.EqualTo(new[] { new LoginKey("accounts.google.com", "g-1") }));
    }

    [Test]
    public async Task A_disposed_store_refuses_work()
    {
        var store = new SqliteBrokerStore(_path);
        await store.CountPoolsAsync(CancellationToken.None);
        store.Dispose();

        Assert.ThrowsAsync<ObjectDisposedException>(() => store.CountPoolsAsync(CancellationToken.None));
        Assert.ThrowsAsync<ObjectDisposedException>(() => store.CreatePoolAsync(Pool(), CancellationToken.None));
    }

    [Test]
    public async Task Parallel_reads_and_writes_all_complete_correctly()
    {
        using var store = new SqliteBrokerStore(_path);
        var pool = Pool();
        await store.CreatePoolAsync(pool, CancellationToken.None);

        var writes = Enumerable.Range(0, 100).Select(i => Task.Run(() => store.ResolveLoginsAsync(
            new Identity { IdentityId = $"id-{i}", IdentityPoolId = pool.IdentityPoolId },
            [new LoginKey("accounts.google.com", $"g-{i}")], T0, CancellationToken.None)));
        var reads = Enumerable.Range(0, 100).Select(_ => Task.Run(() => store.GetPoolAsync(pool.IdentityPoolId, CancellationToken.None)));

        var readResults = await Task.WhenAll(reads);
        await Task.WhenAll(writes);

        Assert.That(readResults, Is.All.Not.Null);
        var page = await store.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, CancellationToken.None);
        Assert.That(page.Items, Has.Count.EqualTo(60));
        Assert.That(page.NextToken, Is.Not.Null);
    }

    [Test]
    public async Task A_failing_write_in_a_group_commit_is_undone_alone_and_the_others_commit()
    {
        using var store = new SqliteBrokerStore(_path);
        var pool = Pool();
        await store.CreatePoolAsync(pool, CancellationToken.None);
        var google = new LoginKey("accounts.google.com", "owned");
        await store.CreateIdentityAsync(NewIdentity(pool, "owner", google), CancellationToken.None);

        // Queued together, without awaiting in between, so that they share batches. "half" inserts its identity row and
        // then fails on a login another identity owns: its savepoint must take the row back out, and only its own.
        var writes = Enumerable.Range(0, 40).Select(i => i == 20
            ? store.CreateIdentityAsync(NewIdentity(pool, "half", google), CancellationToken.None)
            : store.CreateIdentityAsync(NewIdentity(pool, $"new-{i}"), CancellationToken.None)).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return null;
            }
            catch (InvalidOperationException e)
            {
                return e;
            }
        }));

        Assert.That(outcomes.Where(e => e is not null), Has.Exactly(1).Items);
        Assert.That(outcomes[20], Is.Not.Null, "the write that broke a rule failed");
        Assert.That(await store.GetIdentityAsync("half", CancellationToken.None), Is.Null, "nothing of the failed write was kept");
        var page = await store.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, CancellationToken.None);
        Assert.That(page.Items.Select(i => i.IdentityId), Is.EquivalentTo(new[] { "owner" }.Concat(Enumerable.Range(0, 40).Where(i => i != 20).Select(i => $"new-{i}"))));
    }

    [Test]
    public async Task Guests_written_without_a_savepoint_fail_alone_in_a_group_commit_on_a_missing_pool_or_a_taken_id()
    {
        using var store = new SqliteBrokerStore(_path);
        var pool = Pool();
        await store.CreatePoolAsync(pool, CancellationToken.None);
        await store.CreateIdentityAsync(NewIdentity(pool, "taken"), CancellationToken.None);
        var missingPool = new Identity { IdentityId = "orphan", IdentityPoolId = "us-east-1:00000000-0000-0000-0000-00000000dead" };

        // Queued together so that they share batches: a guest has no login, so it runs without a SAVEPOINT (one insert).
        var writes = Enumerable.Range(0, 40).Select(i => i switch
        {
            10 => store.CreateIdentityAsync(missingPool, CancellationToken.None),
            20 => store.CreateIdentityAsync(NewIdentity(pool, "taken"), CancellationToken.None),
            30 => store.TryCreateGuestAsync(NewIdentity(pool, "taken"), 1000, CancellationToken.None),
            _ => store.CreateIdentityAsync(NewIdentity(pool, $"guest-{i}"), CancellationToken.None),
        }).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return null;
            }
            catch (InvalidOperationException e)
            {
                return e.Message;
            }
        }));

        Assert.That(outcomes[10], Does.Contain("does not exist"), "the pool is checked by the insert's foreign key");
        Assert.That(outcomes[20], Does.Contain("already exists"));
        Assert.That(outcomes[30], Does.Contain("already exists"));
        Assert.That(outcomes.Where(o => o is not null), Has.Exactly(3).Items);
        Assert.That(await store.GetIdentityAsync("orphan", CancellationToken.None), Is.Null);
        var page = await store.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, CancellationToken.None);
        Assert.That(page.Items.Select(i => i.IdentityId), Is.EquivalentTo(
            new[] { "taken" }.Concat(Enumerable.Range(0, 40).Where(i => i is not (10 or 20 or 30)).Select(i => $"guest-{i}"))));
    }

    [Test]
    public async Task A_new_guest_leaves_the_read_cache_as_it_is_and_an_identity_with_a_login_empties_it()
    {
        using var store = new SqliteBrokerStore(_path);
        var pool = Pool();
        await store.CreatePoolAsync(pool, CancellationToken.None);
        var before = store.ReadGeneration;

        await store.CreateIdentityAsync(NewIdentity(pool, "guest"), CancellationToken.None);
        Assert.That(await store.TryCreateGuestAsync(NewIdentity(pool, "counted-guest"), 10, CancellationToken.None), Is.True);
        Assert.That(store.ReadGeneration, Is.EqualTo(before), "no cached read (sessions, user pools, users) depends on identities");

        await store.CreateIdentityAsync(NewIdentity(pool, "linked", new LoginKey("accounts.google.com", "g-1")), CancellationToken.None);
        Assert.That(store.ReadGeneration, Is.GreaterThan(before));
    }

    [Test]
    public async Task A_write_cancelled_before_its_batch_runs_is_cancelled_and_writes_nothing()
    {
        using var store = new SqliteBrokerStore(_path);
        var pool = Pool();
        await store.CreatePoolAsync(pool, CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(() => store.CreateIdentityAsync(NewIdentity(pool, "never"), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await store.GetIdentityAsync("never", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_file_another_process_keeps_locked_is_a_store_outage_that_ends_when_the_lock_is_released()
    {
        using var store = new SqliteBrokerStore(_path, busyTimeout: TimeSpan.FromMilliseconds(50));
        var pool = Pool();
        await store.CreatePoolAsync(pool, CancellationToken.None);

        // Another process (a backup tool, an operator's sqlite3) holding the write lock past the busy timeout.
        await using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        await other.OpenAsync();
        var locking = other.BeginTransaction(deferred: false);

        var waited = Stopwatch.StartNew();
        var error = Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateIdentityAsync(NewIdentity(pool, "while-locked"), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("locked").And.Not.Contain(_directory), "the reason, without the path");
        Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the busy timeout bounds the wait, not Microsoft.Data.Sqlite's own 30 s of retries");
        Assert.That(await store.GetPoolAsync(pool.IdentityPoolId, CancellationToken.None), Is.Not.Null, "reads go on beside the lock (WAL)");

        await locking.RollbackAsync();
        await locking.DisposeAsync();
        await store.CreateIdentityAsync(NewIdentity(pool, "after"), CancellationToken.None);
        Assert.That(await store.GetIdentityAsync("after", CancellationToken.None), Is.Not.Null, "the same store writes again");
        Assert.That(await store.GetIdentityAsync("while-locked", CancellationToken.None), Is.Null);
    }

    private static Identity NewIdentity(IdentityPool pool, string id, params LoginKey[] logins) =>
        new() { IdentityId = id, IdentityPoolId = pool.IdentityPoolId, CreationDate = T0, LastModifiedDate = T0, Logins = logins };

    private static IdentityPool Pool() => new()
    {
        IdentityPoolId = $"us-east-1:{Guid.NewGuid()}",
        IdentityPoolName = "pool",
        AllowUnauthenticatedIdentities = true,
        CreationDate = T0,
    };

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
