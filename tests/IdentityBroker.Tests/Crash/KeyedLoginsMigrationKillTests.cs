using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Replicas;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The keyed-logins migration (docs/storage.md, "Identities at scale") runs at the broker's start-up on a file written
/// before it. The broker process is SIGKILLed while it migrates a file large enough to take a while; the file must still
/// be the old schema with every row, and the next start must migrate it and serve every identity once, with its id.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KeyedLoginsMigrationKillTests
{
    private const int Count = 150_000;
    private const long SpilledBytes = 256 * 1024;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_broker_killed_during_the_migration_leaves_the_old_file_and_the_next_start_serves_every_identity_once()
    {
        var directory = Directory.CreateTempSubdirectory("keyed-logins-kill-").FullName;
        try
        {
            var path = Path.Combine(directory, "broker.db");
            var pool = new IdentityPool
            {
                IdentityPoolId = $"us-east-1:{Guid.NewGuid()}",
                IdentityPoolName = "migrated",
                AllowUnauthenticatedIdentities = true,
                CreationDate = T0,
            };
            await PreKeyedLoginsFile.CreateAsync(path, [pool]);
            await PreKeyedLoginsFile.AddIdentitiesAsync(path, pool.IdentityPoolId, 1, Count, T0);
            var settings = new Dictionary<string, string> { ["Broker__Store"] = "sqlite", ["Broker__DataDirectory"] = directory };

            // The migration is one transaction: once its rows outgrow SQLite's page cache they spill into the WAL
            // uncommitted. Kill then.
            var killedAfter = await KillWhileMigratingAsync(settings, path + "-wal");
            await TestContext.Out.WriteLineAsync($"killed {killedAfter.TotalMilliseconds:F0} ms after the start, WAL past {SpilledBytes} bytes");
            Assert.That(await PreKeyedLoginsFile.ScalarAsync(path, "SELECT MAX(version) FROM schema_version;"), Is.EqualTo((long)PreKeyedLoginsFile.Version),
                "the kill came before the migration committed");
            Assert.That(await PreKeyedLoginsFile.ScalarAsync(path, "SELECT COUNT(*) FROM logins WHERE identity_id IS NOT NULL;"), Is.EqualTo((long)LoginCount()));

            await using var broker = await BrokerProcess.StartAsync(settings);
            Assert.That(await PreKeyedLoginsFile.ScalarAsync(path, "SELECT MAX(version) FROM schema_version;"), Is.EqualTo((long)SqliteSchema.CurrentVersion));
            Assert.That(await PreKeyedLoginsFile.ScalarAsync(path, "SELECT COUNT(*) || '/' || COUNT(DISTINCT id) FROM identities;"), Is.EqualTo($"{Count}/{Count}"));
            Assert.That(await PreKeyedLoginsFile.ScalarAsync(path, "SELECT COUNT(*) FROM logins;"), Is.EqualTo((long)LoginCount()));

            // Every login of the provider still leads to the identity it was written for.
            Assert.That(await PreKeyedLoginsFile.ScalarAsync(path,
                "SELECT COUNT(*) FROM logins l JOIN identities i ON i.seq = l.identity_seq "
                + $"WHERE l.provider = '{PreKeyedLoginsFile.Provider}' "
                + "AND i.id = printf('us-east-1:%08x-0000-4000-8000-%012x', CAST(substr(l.subject, 6) AS INTEGER), CAST(substr(l.subject, 6) AS INTEGER));"),
                Is.EqualTo((long)Enumerable.Range(1, Count).Count(n => !PreKeyedLoginsFile.IsGuest(n))));

            // And the broker serves them: through its store (a second process on the file, as WAL allows) and its API.
            using var store = new SqliteBrokerStore(path);
            for (var n = 1; n <= Count; n += 997)
            {
                var login = new LoginKey(PreKeyedLoginsFile.Provider, PreKeyedLoginsFile.Subject(n));
                var owner = await store.FindLoginOwnerAsync(pool.IdentityPoolId, login, CancellationToken.None);
                Assert.That(owner, Is.EqualTo(PreKeyedLoginsFile.IsGuest(n) ? null : PreKeyedLoginsFile.IdentityId(n)), login.ToString());
                Assert.That(await DescribedLoginsAsync(broker, PreKeyedLoginsFile.IdentityId(n)),
                    Is.EqualTo(PreKeyedLoginsFile.IsGuest(n) ? Array.Empty<string>()
                        : PreKeyedLoginsFile.HasDeveloperLogin(n) ? [PreKeyedLoginsFile.Provider, PreKeyedLoginsFile.Developer] : [PreKeyedLoginsFile.Provider]));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<TimeSpan> KillWhileMigratingAsync(Dictionary<string, string> settings, string wal)
    {
        var started = Stopwatch.StartNew();
        await using var broker = await BrokerProcess.StartAsync(settings, waitUntilReady: false);
        while (!File.Exists(wal) || new FileInfo(wal).Length < SpilledBytes)
        {
            Assert.That(broker.IsRunning, Is.True, broker.Output);
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the migration never spilled into the WAL");
            await Task.Delay(2);
        }

        await broker.KillAsync();
        return started.Elapsed;
    }

    private static async Task<string[]> DescribedLoginsAsync(BrokerProcess broker, string identityId)
    {
        var body = JsonSerializer.Serialize(new { IdentityId = identityId });
        using var response = await broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.JsonRequest("DescribeIdentity", body), broker.BaseAddress, "cognito-identity", body));
        var json = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.That(root.GetProperty("IdentityId").GetString(), Is.EqualTo(identityId));
        return root.TryGetProperty("Logins", out var logins) ? [.. logins.EnumerateArray().Select(l => l.GetString()!)] : [];
    }

    private static int LoginCount() =>
        Enumerable.Range(1, Count).Sum(n => PreKeyedLoginsFile.IsGuest(n) ? 0 : PreKeyedLoginsFile.HasDeveloperLogin(n) ? 2 : 1);
}
