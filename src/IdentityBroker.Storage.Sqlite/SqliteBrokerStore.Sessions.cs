using System.Text.Json;
using IdentityBroker.UserPools.Sessions;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : IUserPoolSessionStore
{
    // A user's sessions past their expiry are forgotten when the user signs in again (the write transaction of the insert).
    private const string PurgeExpiredSessionsSql =
        "DELETE FROM user_pool_sessions WHERE pool_id = $pool AND sub = $sub AND expires <= $now;";

    private const string InsertSessionSql =
        "INSERT INTO user_pool_sessions (pool_id, session_id, sub, expires, revoked, document) "
        + "VALUES ($pool, $session, $sub, $expires, $revoked, $document) ON CONFLICT (pool_id, session_id) DO NOTHING;";

    public Task<bool> TryCreateSessionAsync(UserPoolSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return WriteAsync(session, static async (s, session, ct) =>
        {
            var purge = s.Command(PurgeExpiredSessionsSql);
            purge.Parameters.AddWithValue("$pool", session.UserPoolId);
            purge.Parameters.AddWithValue("$sub", session.Sub);
            purge.Parameters.AddWithValue("$now", ToTicks(session.CreatedAt));
            await purge.ExecuteNonQueryAsync(ct);
            var insert = s.Command(InsertSessionSql);
            insert.Parameters.AddWithValue("$pool", session.UserPoolId);
            insert.Parameters.AddWithValue("$session", session.SessionId);
            insert.Parameters.AddWithValue("$sub", session.Sub);
            insert.Parameters.AddWithValue("$expires", ToTicks(session.ExpiresAt));
            insert.Parameters.AddWithValue("$revoked", session.Revoked ? 1 : 0);
            insert.Parameters.AddWithValue("$document", JsonSerializer.Serialize(session, StoreJsonContext.Default.UserPoolSession));
            return await insert.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<UserPoolSession?> GetSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken) =>
        CachedReadAsync("session", userPoolId, sessionId, () => ReadSessionAsync(userPoolId, sessionId, cancellationToken));

    private Task<UserPoolSession?> ReadSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, sessionId), static async (s, key, ct) =>
        {
            var command = s.Command("SELECT document, revoked FROM user_pool_sessions WHERE pool_id = $pool AND session_id = $session;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$session", key.sessionId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            var session = JsonSerializer.Deserialize(reader.GetString(0), StoreJsonContext.Default.UserPoolSession)
                ?? throw new InvalidDataException("A stored user pool session document is null.");
            return session with { Revoked = reader.GetInt64(1) != 0 };
        }, cancellationToken);

    // One statement in the write transaction: the compare (live, current hash) and the set cannot interleave with another rotation.
    private const string ReplaceRefreshTokenSql =
        "UPDATE user_pool_sessions SET document = $document WHERE pool_id = $pool AND session_id = $session AND revoked = 0 "
        + "AND json_extract(document, '$.RefreshTokenHash') = $expected;";

    public Task<bool> TryReplaceRefreshTokenAsync(UserPoolSession replacement, string expectedRefreshTokenHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return WriteAsync((replacement, expectedRefreshTokenHash), static async (s, args, ct) =>
        {
            var command = s.Command(ReplaceRefreshTokenSql);
            command.Parameters.AddWithValue("$pool", args.replacement.UserPoolId);
            command.Parameters.AddWithValue("$session", args.replacement.SessionId);
            command.Parameters.AddWithValue("$expected", args.expectedRefreshTokenHash);
            command.Parameters.AddWithValue("$document",
                JsonSerializer.Serialize(args.replacement with { Revoked = false }, StoreJsonContext.Default.UserPoolSession));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<bool> RevokeSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, sessionId), static async (s, key, ct) =>
        {
            var command = s.Command("UPDATE user_pool_sessions SET revoked = 1 WHERE pool_id = $pool AND session_id = $session;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$session", key.sessionId);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<int> RevokeUserSessionsAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, sub), static async (s, key, ct) =>
        {
            var command = s.Command("UPDATE user_pool_sessions SET revoked = 1 WHERE pool_id = $pool AND sub = $sub AND revoked = 0;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$sub", key.sub);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
