using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// A SQLite file as the broker wrote it before the keyed-logins migration (<see cref="SqliteSchema.KeyedLoginsVersion"/>):
/// the migrations before it applied in order, then pools, identities, logins and last-seen rows written with that
/// schema's own statements (text ids in logins and identity_last_seen). Tests open it with today's store.
/// </summary>
internal static class PreKeyedLoginsFile
{
    public const string Provider = "accounts.google.com";
    public const string Developer = "login.migration.dev";

    /// <summary>The schema version of a file written just before the migration.</summary>
    public static int Version => SqliteSchema.KeyedLoginsVersion - 1;

    /// <summary>Creates the file with the schema of <see cref="Version"/> and copies the pools' rows from a store of today.</summary>
    public static async Task CreateAsync(string path, IReadOnlyList<IdentityPool> pools)
    {
        var scratch = path + ".scratch";
        using (var store = new SqliteBrokerStore(scratch))
        {
            foreach (var pool in pools)
            {
                await store.CreatePoolAsync(pool, CancellationToken.None);
            }
        }

        await using var connection = await OpenAsync(path);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; CREATE TABLE schema_version (version INTEGER NOT NULL);");
        for (var version = 1; version <= Version; version++)
        {
            await ExecuteAsync(connection, SqliteSchema.Migration(version)
                + $"INSERT INTO schema_version (version) VALUES ({version});");
        }

        // Pools are not part of the migration: their rows as today's store wrote them.
        await ExecuteAsync(connection, $"ATTACH DATABASE '{scratch}' AS scratch; "
            + "INSERT INTO pools (seq, id, name, document, created) SELECT seq, id, name, document, created FROM scratch.pools; "
            + "DETACH DATABASE scratch;");
        foreach (var file in new[] { scratch, scratch + "-wal", scratch + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// <paramref name="count"/> identities in the pool, written as the old schema's store wrote them: identity n has id
    /// <see cref="IdentityId"/>(n); every third one is a guest, the others have the login <see cref="Subject"/>(n) of
    /// <see cref="Provider"/>, and every fifth of those a developer login linked after it; every seventh was seen at
    /// <paramref name="created"/> + n seconds; every eleventh is disabled.
    /// </summary>
    public static async Task AddIdentitiesAsync(string path, string poolId, int first, int count, DateTimeOffset created)
    {
        await using var connection = await OpenAsync(path);
        var sql = """
            BEGIN;
            CREATE TEMP TABLE n AS WITH RECURSIVE r(x) AS (SELECT $first UNION ALL SELECT x + 1 FROM r WHERE x < $last) SELECT x FROM r;
            INSERT INTO identities (id, pool_id, created, modified, disabled)
                SELECT printf('us-east-1:%08x-0000-4000-8000-%012x', x, x), $pool, $created, $created, x % 11 = 0 FROM n;
            INSERT INTO logins (pool_id, provider, subject, identity_id)
                SELECT $pool, $provider, 'user-' || x, printf('us-east-1:%08x-0000-4000-8000-%012x', x, x) FROM n WHERE x % 3 <> 0;
            INSERT INTO logins (pool_id, provider, subject, identity_id)
                SELECT $pool, $developer, 'dev-' || x, printf('us-east-1:%08x-0000-4000-8000-%012x', x, x) FROM n WHERE x % 3 <> 0 AND x % 5 = 0;
            INSERT INTO identity_last_seen (identity_id, seen)
                SELECT printf('us-east-1:%08x-0000-4000-8000-%012x', x, x), $created + x * 10000000 FROM n WHERE x % 7 = 0;
            DROP TABLE n;
            COMMIT;
            """;
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$first", first);
        command.Parameters.AddWithValue("$last", first + count - 1);
        command.Parameters.AddWithValue("$pool", poolId);
        command.Parameters.AddWithValue("$created", created.UtcTicks);
        command.Parameters.AddWithValue("$provider", Provider);
        command.Parameters.AddWithValue("$developer", Developer);
        await command.ExecuteNonQueryAsync();
    }

    public static string IdentityId(int n) => $"us-east-1:{n:x8}-0000-4000-8000-{n:x12}";

    public static string Subject(int n) => $"user-{n}";

    public static string DeveloperSubject(int n) => $"dev-{n}";

    public static bool IsGuest(int n) => n % 3 == 0;

    public static bool HasDeveloperLogin(int n) => !IsGuest(n) && n % 5 == 0;

    public static bool IsSeen(int n) => n % 7 == 0;

    public static bool IsDisabled(int n) => n % 11 == 0;

    public static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
