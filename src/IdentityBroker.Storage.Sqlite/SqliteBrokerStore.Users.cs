using System.Text.Json;
using IdentityBroker.UserPools.Users;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>
/// Every write runs in the one write transaction of the write queue: the key checks, the key claims and the user row
/// are one atomic step, and a refused write (taken key, stale version) returns before it changes anything.
/// </remarks>
public sealed partial class SqliteBrokerStore : IUserStore
{
    // Inserted only while the pool exists, inside the write transaction that DeleteUserPoolAsync also uses.
    private const string InsertUserSql =
        "INSERT INTO users (pool_id, sub, version, document) SELECT $pool, $sub, 1, $document "
        + "WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool) ON CONFLICT (pool_id, sub) DO NOTHING;";

    private const string ListUsersSql = "SELECT seq, document FROM users WHERE pool_id = $pool AND seq > $after ORDER BY seq";

    public Task<UserWrite> TryCreateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(keys);
        var stored = user with { Version = 1 };
        return WriteAsync((stored, keys), static async (s, w, ct) =>
        {
            if (!await UserPoolExistsAsync(s, w.stored.UserPoolId, ct))
            {
                return UserWrite.Of(UserWriteStatus.NoPool);
            }

            if (await UserVersionAsync(s, w.stored.UserPoolId, w.stored.Sub, ct) is not null)
            {
                return UserWrite.Of(UserWriteStatus.Conflict);
            }

            if (await FirstTakenKeyAsync(s, w.stored, w.keys, ct) is { } taken)
            {
                return new UserWrite(UserWriteStatus.KeyTaken, TakenKey: taken);
            }

            var insert = UserCommand(s, InsertUserSql, w.stored);
            await insert.ExecuteNonQueryAsync(ct);
            await ClaimKeysAsync(s, w.stored, w.keys, ct);
            return new UserWrite(UserWriteStatus.Written, w.stored);
        }, cancellationToken);
    }

    public Task<PoolUser?> GetUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        CachedReadAsync("user", userPoolId, sub, () => ReadUserAsync(userPoolId, sub, cancellationToken));

    public Task<PoolUser?> FindUserAsync(string userPoolId, string key, CancellationToken cancellationToken) =>
        CachedReadAsync("user-key", userPoolId, key, () => ReadUserByKeyAsync(userPoolId, key, cancellationToken));

    private Task<PoolUser?> ReadUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, sub), static async (s, key, ct) =>
        {
            var command = s.Command("SELECT document FROM users WHERE pool_id = $pool AND sub = $sub;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$sub", key.sub);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeUser(document) : null;
        }, cancellationToken);

    private Task<PoolUser?> ReadUserByKeyAsync(string userPoolId, string key, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, key), static async (s, k, ct) =>
        {
            var command = s.Command(
                "SELECT u.document FROM user_keys k JOIN users u ON u.pool_id = k.pool_id AND u.sub = k.sub "
                + "WHERE k.pool_id = $pool AND k.key = $key;");
            command.Parameters.AddWithValue("$pool", k.userPoolId);
            command.Parameters.AddWithValue("$key", k.key);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeUser(document) : null;
        }, cancellationToken);

    public Task<UserWrite> UpdateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(keys);
        return WriteAsync((user, keys), static async (s, w, ct) =>
        {
            var version = await UserVersionAsync(s, w.user.UserPoolId, w.user.Sub, ct);
            if (version is null)
            {
                return UserWrite.Of(UserWriteStatus.NotFound);
            }

            if (version != w.user.Version)
            {
                return UserWrite.Of(UserWriteStatus.Conflict);
            }

            if (await FirstTakenKeyAsync(s, w.user, w.keys, ct) is { } taken)
            {
                return new UserWrite(UserWriteStatus.KeyTaken, TakenKey: taken);
            }

            var stored = w.user with { Version = w.user.Version + 1 };
            var update = UserCommand(s, "UPDATE users SET version = $version, document = $document WHERE pool_id = $pool AND sub = $sub;", stored);
            update.Parameters.AddWithValue("$version", stored.Version);
            await update.ExecuteNonQueryAsync(ct);
            await ReleaseKeysAsync(s, stored.UserPoolId, stored.Sub, ct);
            await ClaimKeysAsync(s, stored, w.keys, ct);
            return new UserWrite(UserWriteStatus.Written, stored);
        }, cancellationToken);
    }

    public Task<bool> DeleteUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, sub), static async (s, key, ct) =>
        {
            await ReleaseKeysAsync(s, key.userPoolId, key.sub, ct);
            var command = s.Command("DELETE FROM users WHERE pool_id = $pool AND sub = $sub;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$sub", key.sub);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<Page<PoolUser>> ListUsersAsync(
        string userPoolId, int maxResults, string? nextToken, Func<PoolUser, bool>? where, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.Users, nextToken);
        return ReadAsync((userPoolId, after, maxResults, where), static async (s, request, ct) =>
        {
            if (request.where is null)
            {
                var command = s.Command(ListUsersSql + " LIMIT $limit;");
                command.Parameters.AddWithValue("$pool", request.userPoolId);
                return await SqlitePages.ReadAsync(command, request.after, request.maxResults, PageCursorKind.Users, DeserializeUser, ct);
            }

            return await ReadFilteredUsersAsync(s, request.userPoolId, request.after, request.maxResults, request.where, ct);
        }, cancellationToken);
    }

    /// <summary>Scans the pool in creation order until one more match than the page is found (then a next page exists).</summary>
    private static async Task<Page<PoolUser>> ReadFilteredUsersAsync(
        SqliteSession s, string userPoolId, long after, int maxResults, Func<PoolUser, bool> where, CancellationToken ct)
    {
        var command = s.Command(ListUsersSql + ";");
        command.Parameters.AddWithValue("$pool", userPoolId);
        command.Parameters.AddWithValue("$after", after);
        var items = new List<PoolUser>();
        long last = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var user = DeserializeUser(reader.GetString(1));
            if (!where(user))
            {
                continue;
            }

            if (items.Count == maxResults)
            {
                return new Page<PoolUser>(items, PageCursor.Encode(PageCursorKind.Users, last));
            }

            last = reader.GetInt64(0);
            items.Add(user);
        }

        return new Page<PoolUser>(items, null);
    }

    private static async Task DeletePoolUsersAsync(SqliteSession s, string userPoolId, CancellationToken ct)
    {
        foreach (var sql in new[] { "DELETE FROM user_keys WHERE pool_id = $pool;", "DELETE FROM users WHERE pool_id = $pool;" })
        {
            var command = s.Command(sql);
            command.Parameters.AddWithValue("$pool", userPoolId);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<bool> UserPoolExistsAsync(SqliteSession s, string userPoolId, CancellationToken ct)
    {
        var command = s.Command("SELECT 1 FROM user_pools WHERE id = $pool;");
        command.Parameters.AddWithValue("$pool", userPoolId);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task<long?> UserVersionAsync(SqliteSession s, string userPoolId, string sub, CancellationToken ct)
    {
        var command = s.Command("SELECT version FROM users WHERE pool_id = $pool AND sub = $sub;");
        command.Parameters.AddWithValue("$pool", userPoolId);
        command.Parameters.AddWithValue("$sub", sub);
        return await command.ExecuteScalarAsync(ct) is long version ? version : null;
    }

    /// <summary>The first of <paramref name="keys"/> held by another user than <paramref name="user"/>.</summary>
    private static async Task<string?> FirstTakenKeyAsync(SqliteSession s, PoolUser user, IReadOnlyList<string> keys, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            var command = s.Command("SELECT sub FROM user_keys WHERE pool_id = $pool AND key = $key;");
            command.Parameters.AddWithValue("$pool", user.UserPoolId);
            command.Parameters.AddWithValue("$key", key);
            if (await command.ExecuteScalarAsync(ct) is string owner && owner != user.Sub)
            {
                return key;
            }
        }

        return null;
    }

    private static async Task ClaimKeysAsync(SqliteSession s, PoolUser user, IReadOnlyList<string> keys, CancellationToken ct)
    {
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            var command = s.Command("INSERT INTO user_keys (pool_id, key, sub) VALUES ($pool, $key, $sub);");
            command.Parameters.AddWithValue("$pool", user.UserPoolId);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$sub", user.Sub);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task ReleaseKeysAsync(SqliteSession s, string userPoolId, string sub, CancellationToken ct)
    {
        var command = s.Command("DELETE FROM user_keys WHERE pool_id = $pool AND sub = $sub;");
        command.Parameters.AddWithValue("$pool", userPoolId);
        command.Parameters.AddWithValue("$sub", sub);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static SqliteCommand UserCommand(SqliteSession s, string sql, PoolUser user)
    {
        var command = s.Command(sql);
        command.Parameters.AddWithValue("$pool", user.UserPoolId);
        command.Parameters.AddWithValue("$sub", user.Sub);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(user, StoreJsonContext.Default.PoolUser));
        return command;
    }

    private static PoolUser DeserializeUser(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.PoolUser)
        ?? throw new InvalidDataException("A stored user document is null.");
}
