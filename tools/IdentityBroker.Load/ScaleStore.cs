using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Load;

/// <summary>What the broker itself wrote for the seed users through the API: the shape every bulk row copies.</summary>
public sealed record SeedShape(string PoolId, string Provider, string Region, long Identities, long Logins, string Example);

/// <summary>
/// Direct access to the broker's SQLite file while the broker is stopped, for the scale run: read the rows the broker
/// wrote through the API, bulk-insert more identities and logins of the same shape in one transaction, and inspect the
/// file (size, page counts, query plans). The statements are the store's own (src/IdentityBroker.Storage.Sqlite/
/// SqliteBrokerStore.Identities.cs and .Logins.cs), copied here because the store keeps them private.
/// </summary>
public static partial class ScaleStore
{
    // The store's InsertIdentitySql and InsertLoginSql, unchanged (logins keyed by integer seqs: SqliteSchema.KeyedLogins).
    private const string InsertIdentitySql =
        "INSERT INTO identities (id, pool_id, created, modified, disabled) VALUES ($id, $pool, $created, $modified, $disabled) "
        + "ON CONFLICT (id) DO NOTHING;";

    private const string InsertLoginSql =
        "INSERT INTO logins (pool_seq, provider, subject, identity_seq, linked) "
        + "SELECT p.seq, $provider, $subject, i.seq, COALESCE((SELECT MAX(linked) FROM logins WHERE identity_seq = i.seq), 0) + 1 "
        + "FROM identities i, pools p WHERE i.id = $identity AND p.id = $pool "
        + "ON CONFLICT (pool_seq, provider, subject) DO NOTHING;";

    // The one statement GetId (OIDC, identity exists) runs, on a read-only connection (the store's OwnedLoginSql:
    // SqliteBrokerStore.ResolveLoginsAsync → FindOwnedAsync), for the query plan and the timing.
    private static readonly (string Name, string Sql)[] GetIdStatements =
    [
        ("OwnedLoginSql", "SELECT i.seq, i.id, i.pool_id, i.created, i.modified, i.disabled, l.provider, l.subject "
            + "FROM identities i LEFT JOIN logins l ON l.identity_seq = i.seq "
            + "WHERE i.seq = (SELECT identity_seq FROM logins WHERE pool_seq = (SELECT seq FROM pools WHERE id = $pool) AND provider = $provider AND subject = $subject) "
            + "AND NOT EXISTS (SELECT 1 FROM identities c WHERE c.id = $candidate AND c.seq <> i.seq) ORDER BY l.linked;"),
    ];

    public static string DatabasePath(string dataDirectory) => Path.Combine(dataDirectory, "broker.db");

    /// <summary>The database file plus its WAL and shared-memory files, in bytes.</summary>
    public static long FileBytes(string database) =>
        new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    /// <summary>Reads the seed rows and checks they are what the bulk insert will imitate: one pool, one provider, one login per identity.</summary>
    public static SeedShape ReadSeed(string database, string poolId, long expectedIdentities)
    {
        using var connection = Open(database, SqliteOpenMode.ReadOnly);
        var identities = Scalar(connection, "SELECT COUNT(*) FROM identities WHERE pool_id = $p;", ("$p", poolId));
        var logins = Scalar(connection, "SELECT COUNT(*) FROM logins WHERE pool_seq = (SELECT seq FROM pools WHERE id = $p);", ("$p", poolId));
        var providers = Rows(connection, "SELECT DISTINCT provider FROM logins WHERE pool_seq = (SELECT seq FROM pools WHERE id = $p);", ("$p", poolId));
        var example = Rows(connection,
            "SELECT i.id || ' | created ' || i.created || ' | modified ' || i.modified || ' | disabled ' || i.disabled || ' | ' || l.provider || ' | ' || l.subject "
            + "FROM identities i JOIN logins l ON l.identity_seq = i.seq WHERE i.pool_id = $p ORDER BY i.seq LIMIT 1;", ("$p", poolId));
        if (identities != expectedIdentities || logins != expectedIdentities || providers.Count != 1 || example.Count != 1)
        {
            throw new InvalidOperationException(
                $"Unexpected seed: {identities} identities, {logins} logins, {providers.Count} providers (expected {expectedIdentities}, {expectedIdentities}, 1).");
        }

        var id = example[0].Split(" | ")[0];
        var match = IdentityId().Match(id);
        return match.Success
            ? new SeedShape(poolId, providers[0], match.Groups[1].Value, identities, logins, example[0])
            : throw new InvalidOperationException($"The broker's identity id '{id}' is not <region>:<lower-case GUID>.");
    }

    /// <summary>
    /// Inserts identities for users <paramref name="from"/>..<paramref name="to"/>-1 (subject <c>user-N</c>), each with
    /// its login, in one transaction, with the store's statements, values and foreign keys on. Returns the identity ids
    /// of the users in <paramref name="remember"/>.
    /// </summary>
    public static Dictionary<int, string> Fill(string database, SeedShape seed, int from, int to, IReadOnlySet<int> remember, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(remember);
        ArgumentNullException.ThrowIfNull(time);
        using var connection = Open(database, SqliteOpenMode.ReadWrite);

        // This connection only: foreign keys checked as the broker's writer does; a 256 MB page cache so that
        // inserting random GUIDs into the unique index does not re-read pages from the OS for every row.
        Execute(connection, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144;");
        if (Scalar(connection, "SELECT COUNT(*) FROM pools WHERE id = $p;", ("$p", seed.PoolId)) != 1)
        {
            throw new InvalidOperationException($"Pool {seed.PoolId} is not in the store.");
        }

        using var transaction = connection.BeginTransaction();
        using var identity = Prepare(connection, transaction, InsertIdentitySql, "$id", "$pool", "$created", "$modified", "$disabled");
        using var login = Prepare(connection, transaction, InsertLoginSql, "$pool", "$provider", "$subject", "$identity");
        identity.Parameters["$pool"].Value = seed.PoolId;
        identity.Parameters["$disabled"].Value = false;
        login.Parameters["$pool"].Value = seed.PoolId;
        login.Parameters["$provider"].Value = seed.Provider;
        var ids = new Dictionary<int, string>();
        for (var user = from; user < to; user++)
        {
            var id = $"{seed.Region}:{Guid.NewGuid():D}";
            var ticks = time.GetUtcNow().UtcTicks;
            identity.Parameters["$id"].Value = id;
            identity.Parameters["$created"].Value = ticks;
            identity.Parameters["$modified"].Value = ticks;
            login.Parameters["$subject"].Value = $"user-{user}";
            login.Parameters["$identity"].Value = id;
            if (identity.ExecuteNonQuery() != 1 || login.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"User {user} was not inserted (conflict).");
            }

            if (remember.Contains(user))
            {
                ids[user] = id;
            }
        }

        transaction.Commit();
        return ids;
    }

    public static long CountIdentities(string database, string poolId)
    {
        using var connection = Open(database, SqliteOpenMode.ReadOnly);
        return Scalar(connection, "SELECT COUNT(*) FROM identities WHERE pool_id = $p;", ("$p", poolId));
    }

    /// <summary>Page size and count, and EXPLAIN QUERY PLAN of each statement GetId (OIDC) runs, for the report.</summary>
    public static IReadOnlyList<string> Inspect(string database, SeedShape seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        using var connection = Open(database, SqliteOpenMode.ReadOnly);
        var lines = new List<string>
        {
            FormattableString.Invariant(
                $"page_size {Scalar(connection, "PRAGMA page_size;")} B, page_count {Scalar(connection, "PRAGMA page_count;")}, freelist {Scalar(connection, "PRAGMA freelist_count;")}, default cache_size {Scalar(connection, "PRAGMA cache_size;")} (negative = KiB)"),
        };
        foreach (var (name, sql) in GetIdStatements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (parameter, value) in new[] { ("$pool", seed.PoolId), ("$provider", seed.Provider), ("$subject", "user-1"), ("$candidate", seed.Region + ":x") })
            {
                if (sql.Contains(parameter, StringComparison.Ordinal))
                {
                    command.Parameters.AddWithValue(parameter, value);
                }
            }

            using var reader = command.ExecuteReader();
            var steps = new List<string>();
            while (reader.Read())
            {
                steps.Add(reader.GetString(3));
            }

            lines.Add($"{name}: {string.Join("; ", steps)}");
        }

        return lines;
    }

    /// <summary>
    /// The SQLite part of GetId (OIDC, identity exists) without the broker: for each user, the statement of
    /// <see cref="GetIdStatements"/> (the owner of the login with its logins, unless a fresh candidate id is stored), prepared once, on one read-only connection with SQLite's default page
    /// cache (2 MB, as each broker connection). A warm-up pass, then five passes over <paramref name="users"/>; returns the
    /// lowest microseconds per user of those (wall clock, and CPU time of this process, which runs nothing else meanwhile).
    /// </summary>
    /// <param name="pragmas">Run on the connection first: empty for the broker's settings, or an experiment (cache, mmap).</param>
    public static (double WallMicros, double CpuMicros) LookupCost(string database, SeedShape seed, IReadOnlyList<int> users, string pragmas = "")
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(users);
        using var connection = Open(database, SqliteOpenMode.ReadOnly);
        if (pragmas.Length > 0)
        {
            Execute(connection, pragmas);
        }

        using var owned = Prepare(connection, null, GetIdStatements[0].Sql, "$pool", "$provider", "$subject", "$candidate");
        owned.Parameters["$pool"].Value = seed.PoolId;
        owned.Parameters["$provider"].Value = seed.Provider;
        (double, double) Pass()
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var wall = Stopwatch.StartNew();
            foreach (var user in users)
            {
                owned.Parameters["$subject"].Value = $"user-{user}";
                owned.Parameters["$candidate"].Value = $"{seed.Region}:{Guid.NewGuid():D}";
                using var reader = owned.ExecuteReader();
                if (!reader.Read())
                {
                    throw new InvalidOperationException($"user-{user} has no identity.");
                }

                while (reader.Read())
                {
                }
            }

            return (wall.Elapsed.TotalMicroseconds / users.Count, (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / users.Count);
        }

        // The first pass warms the page cache and the JIT; the fastest of the next five is the least disturbed by neighbours.
        Pass();
        var passes = Enumerable.Range(0, 5).Select(_ => Pass()).ToList();
        return (passes.Min(p => p.Item1), passes.Min(p => p.Item2));
    }

    private static SqliteConnection Open(string database, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction? transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter, null));
        }

        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql, params (string Name, string Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<string> Rows(SqliteConnection connection, string sql, params (string Name, string Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [GeneratedRegex("^([a-z]+-[a-z]+-[0-9]+):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex IdentityId();
}
