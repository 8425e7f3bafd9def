using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>A replacement is one write transaction on the single writer: it forgets expired records, then compares and sets.</remarks>
public sealed partial class SqliteBrokerStore : ISignInFailureStore
{
    public Task<SignInFailures> GetSignInFailuresAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, key, now), static async (s, state, ct) =>
        {
            var select = s.Command("SELECT state FROM user_pool_signin_failures WHERE pool_id = $pool AND name_key = $key AND expires > $now;");
            select.Parameters.AddWithValue("$pool", state.userPoolId);
            select.Parameters.AddWithValue("$key", state.key);
            select.Parameters.AddWithValue("$now", state.now.ToUnixTimeMilliseconds());
            return SignInFailureText.Decode(await select.ExecuteScalarAsync(ct) as string);
        }, cancellationToken);

    public Task<bool> ReplaceSignInFailuresAsync(
        string userPoolId, string key, SignInFailures expected, SignInFailures next, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, key, expected: SignInFailureText.Encode(expected), next: SignInFailureText.Encode(next), expiresAt, now),
            static async (s, state, ct) =>
            {
                var purge = s.Command("DELETE FROM user_pool_signin_failures WHERE expires <= $now;");
                purge.Parameters.AddWithValue("$now", state.now.ToUnixTimeMilliseconds());
                await purge.ExecuteNonQueryAsync(ct);
                // Expired rows are gone: a missing row is the empty state, and an upsert guarded by the state read compares and sets.
                var put = s.Command(
                    "INSERT INTO user_pool_signin_failures (pool_id, name_key, state, expires) SELECT $pool, $key, $next, $expires "
                    + "WHERE $expected = COALESCE((SELECT state FROM user_pool_signin_failures WHERE pool_id = $pool AND name_key = $key), '') "
                    + "ON CONFLICT (pool_id, name_key) DO UPDATE SET state = excluded.state, expires = excluded.expires;");
                put.Parameters.AddWithValue("$pool", state.userPoolId);
                put.Parameters.AddWithValue("$key", state.key);
                put.Parameters.AddWithValue("$next", state.next);
                put.Parameters.AddWithValue("$expected", state.expected);
                put.Parameters.AddWithValue("$expires", state.expiresAt.ToUnixTimeMilliseconds());
                return await put.ExecuteNonQueryAsync(ct) == 1;
            }, cancellationToken);

    /// <summary>Runs inside DeleteUserPoolAsync's write transaction.</summary>
    private static async Task DeleteUserPoolSignInFailuresAsync(SqliteSession s, string userPoolId, CancellationToken ct)
    {
        var delete = s.Command("DELETE FROM user_pool_signin_failures WHERE pool_id = $pool;");
        delete.Parameters.AddWithValue("$pool", userPoolId);
        await delete.ExecuteNonQueryAsync(ct);
    }
}
