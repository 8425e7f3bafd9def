using IdentityBroker.Identities;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    // The foreign key to pools(id) is the pool check: one statement per new identity, no separate look-up of the pool.
    private const int ForeignKeyViolation = 787; // SQLITE_CONSTRAINT_FOREIGNKEY

    private const string InsertIdentitySql =
        "INSERT INTO identities (id, pool_id, created, modified, disabled) VALUES ($id, $pool, $created, $modified, $disabled) "
        + "ON CONFLICT (id) DO NOTHING;";

    // Keyed by the pool's and the identity's integer seq (SqliteSchema.KeyedLogins); linked orders an identity's logins as
    // they were linked. No row when the identity or the pool does not exist.
    private const string InsertLoginSql =
        "INSERT INTO logins (pool_seq, provider, subject, identity_seq, linked) "
        + "SELECT p.seq, $provider, $subject, i.seq, COALESCE((SELECT MAX(linked) FROM logins WHERE identity_seq = i.seq), 0) + 1 "
        + "FROM identities i, pools p WHERE i.id = $identity AND p.id = $pool "
        + "ON CONFLICT (pool_seq, provider, subject) DO NOTHING;";

    private const string DeleteIdentitySql = "DELETE FROM identities WHERE id = $id;";

    // One statement per read, so the identity and its logins come from one snapshot.
    private const string SelectIdentitySql =
        "SELECT i.seq, i.id, i.pool_id, i.created, i.modified, i.disabled, l.provider, l.subject "
        + "FROM identities i LEFT JOIN logins l ON l.identity_seq = i.seq WHERE i.id = $id ORDER BY l.linked;";

    private const string ListIdentitiesSql =
        "SELECT i.seq, i.id, i.pool_id, i.created, i.modified, i.disabled, l.provider, l.subject "
        + "FROM (SELECT seq, id, pool_id, created, modified, disabled FROM identities "
        + "WHERE pool_id = $pool AND seq > $after AND ($hideDisabled = 0 OR disabled = 0) ORDER BY seq LIMIT $limit) i "
        + "LEFT JOIN logins l ON l.identity_seq = i.seq ORDER BY i.seq, l.linked;";

    /// <exception cref="InvalidOperationException">The pool does not exist, the id is taken, or a login is linked already.</exception>
    public Task CreateIdentityAsync(Identity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        static async Task<int> Insert(SqliteSession s, Identity identity, CancellationToken ct)
        {
            await InsertIdentityAsync(s, identity, identity.Logins, ct);
            return 0;
        }

        // Without logins (a guest: the write of every guest GetId) the insert is the write's only statement.
        return identity.Logins.Count == 0
            ? WriteNewGuestAsync(identity, Insert, cancellationToken)
            : WriteAsync(identity, Insert, cancellationToken);
    }

    public Task<Identity?> GetIdentityAsync(string identityId, CancellationToken cancellationToken) =>
        ReadAsync(identityId, static (s, id, ct) => SelectIdentityAsync(s, id, ct), cancellationToken);

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<Identity>> ListIdentitiesAsync(
        string poolId, int maxResults, string? nextToken, bool hideDisabled, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.Identities, nextToken);
        return ReadAsync((poolId, after, maxResults, hideDisabled), static async (s, request, ct) =>
        {
            var command = s.Command(ListIdentitiesSql);
            command.Parameters.AddWithValue("$pool", request.poolId);
            command.Parameters.AddWithValue("$after", request.after);
            command.Parameters.AddWithValue("$hideDisabled", request.hideDisabled);
            command.Parameters.AddWithValue("$limit", request.maxResults + 1);
            var rows = await ReadIdentitiesAsync(command, ct);
            var more = rows.Count > request.maxResults;
            var items = rows.Take(request.maxResults).Select(r => r.Identity).ToList();
            var token = more ? PageCursor.Encode(PageCursorKind.Identities, rows[request.maxResults - 1].Seq) : null;
            return new Page<Identity>(items, token);
        }, cancellationToken);
    }

    /// <summary>Foreign keys cascade the delete to the identity's logins, which become free to link again.</summary>
    public Task<bool> DeleteIdentityAsync(string identityId, CancellationToken cancellationToken) =>
        WriteAsync(identityId, static async (s, id, ct) =>
        {
            var command = s.Command(DeleteIdentitySql);
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    private static async Task InsertIdentityAsync(
        SqliteSession s, Identity identity, IEnumerable<LoginKey> logins, CancellationToken ct)
    {
        var insert = s.Command(InsertIdentitySql);
        insert.Parameters.AddWithValue("$id", identity.IdentityId);
        insert.Parameters.AddWithValue("$pool", identity.IdentityPoolId);
        insert.Parameters.AddWithValue("$created", ToTicks(identity.CreationDate));
        insert.Parameters.AddWithValue("$modified", ToTicks(identity.LastModifiedDate));
        insert.Parameters.AddWithValue("$disabled", identity.Disabled);
        int inserted;
        try
        {
            inserted = await insert.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == ForeignKeyViolation)
        {
            // SQLite undid the statement; the transaction goes on.
            throw new InvalidOperationException($"Identity pool '{identity.IdentityPoolId}' does not exist.", e);
        }

        if (inserted != 1)
        {
            throw new InvalidOperationException($"Identity '{identity.IdentityId}' already exists.");
        }

        foreach (var login in logins.Distinct())
        {
            if (!await InsertLoginAsync(s, identity.IdentityPoolId, login, identity.IdentityId, ct))
            {
                throw new InvalidOperationException($"A login of provider '{login.Provider}' is already linked to another identity.");
            }
        }
    }

    private static async Task<bool> InsertLoginAsync(SqliteSession s, string poolId, LoginKey login, string identityId, CancellationToken ct)
    {
        var command = s.Command(InsertLoginSql);
        command.Parameters.AddWithValue("$pool", poolId);
        command.Parameters.AddWithValue("$provider", login.Provider);
        command.Parameters.AddWithValue("$subject", login.Subject);
        command.Parameters.AddWithValue("$identity", identityId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<Identity?> SelectIdentityAsync(SqliteSession s, string identityId, CancellationToken ct)
    {
        var command = s.Command(SelectIdentitySql);
        command.Parameters.AddWithValue("$id", identityId);
        var rows = await ReadIdentitiesAsync(command, ct);
        return rows.Count == 0 ? null : rows[0].Identity;
    }

    /// <summary>Folds rows of (identity, login) ordered by identity into identities with their logins.</summary>
    private static async Task<List<IdentityRow>> ReadIdentitiesAsync(SqliteCommand command, CancellationToken ct)
    {
        var rows = new List<IdentityRow>();
        List<LoginKey>? logins = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            if (rows.Count == 0 || rows[^1].Seq != seq)
            {
                logins = [];
                rows.Add(new IdentityRow(seq, new Identity
                {
                    IdentityId = reader.GetString(1),
                    IdentityPoolId = reader.GetString(2),
                    CreationDate = FromTicks(reader.GetInt64(3)),
                    LastModifiedDate = FromTicks(reader.GetInt64(4)),
                    Disabled = reader.GetBoolean(5),
                    Logins = logins,
                }));
            }

            if (!reader.IsDBNull(6))
            {
                logins!.Add(new LoginKey(reader.GetString(6), reader.GetString(7)));
            }
        }

        return rows;
    }

    private sealed record IdentityRow(long Seq, Identity Identity);
}
