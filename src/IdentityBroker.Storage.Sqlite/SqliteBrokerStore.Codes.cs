using IdentityBroker.UserPools.Codes;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>Each call is one write transaction on the single writer, which makes taking an attempt and consuming atomic.</remarks>
public sealed partial class SqliteBrokerStore : IOneTimeCodeStore
{
    public Task PutCodeAsync(string userPoolId, StoredCode code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return WriteAsync((userPoolId, code, now), static async (s, state, ct) =>
        {
            var purge = s.Command("DELETE FROM user_pool_codes WHERE expires < $now;");
            purge.Parameters.AddWithValue("$now", state.now.ToUnixTimeMilliseconds());
            await purge.ExecuteNonQueryAsync(ct);
            var put = s.Command(
                "INSERT INTO user_pool_codes (pool_id, code_key, code_id, salt, hash, expires, attempts_left) "
                + "VALUES ($pool, $key, $id, $salt, $hash, $expires, $attempts) ON CONFLICT (pool_id, code_key) DO UPDATE SET "
                + "code_id = excluded.code_id, salt = excluded.salt, hash = excluded.hash, expires = excluded.expires, attempts_left = excluded.attempts_left;");
            put.Parameters.AddWithValue("$pool", state.userPoolId);
            put.Parameters.AddWithValue("$key", state.code.Key);
            put.Parameters.AddWithValue("$id", state.code.CodeId);
            put.Parameters.AddWithValue("$salt", state.code.Salt);
            put.Parameters.AddWithValue("$hash", state.code.Hash);
            put.Parameters.AddWithValue("$expires", state.code.ExpiresAt.ToUnixTimeMilliseconds());
            put.Parameters.AddWithValue("$attempts", state.code.AttemptsLeft);
            await put.ExecuteNonQueryAsync(ct);
            return 0;
        }, cancellationToken);
    }

    public Task<CodeAttempt> TakeCodeAttemptAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, key, now), static async (s, state, ct) =>
        {
            var select = s.Command(
                "SELECT code_id, salt, hash, expires, attempts_left FROM user_pool_codes WHERE pool_id = $pool AND code_key = $key;");
            select.Parameters.AddWithValue("$pool", state.userPoolId);
            select.Parameters.AddWithValue("$key", state.key);
            StoredCode code;
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return new CodeAttempt(CodeAttemptStatus.Missing, null);
                }

                code = new StoredCode(state.key, reader.GetString(0), (byte[])reader[1], (byte[])reader[2],
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt32(4));
            }

            if (code.ExpiresAt <= state.now)
            {
                return new CodeAttempt(CodeAttemptStatus.Expired, null);
            }

            if (code.AttemptsLeft <= 0)
            {
                return new CodeAttempt(CodeAttemptStatus.Exhausted, null);
            }

            var take = s.Command("UPDATE user_pool_codes SET attempts_left = attempts_left - 1 WHERE pool_id = $pool AND code_key = $key;");
            take.Parameters.AddWithValue("$pool", state.userPoolId);
            take.Parameters.AddWithValue("$key", state.key);
            await take.ExecuteNonQueryAsync(ct);
            return new CodeAttempt(CodeAttemptStatus.Taken, code);
        }, cancellationToken);

    public Task<bool> ConsumeCodeAsync(string userPoolId, string key, string codeId, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, key, codeId), static async (s, state, ct) =>
        {
            var delete = s.Command("DELETE FROM user_pool_codes WHERE pool_id = $pool AND code_key = $key AND code_id = $id;");
            delete.Parameters.AddWithValue("$pool", state.userPoolId);
            delete.Parameters.AddWithValue("$key", state.key);
            delete.Parameters.AddWithValue("$id", state.codeId);
            return await delete.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task DeleteCodeAsync(string userPoolId, string key, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, key), static async (s, state, ct) =>
        {
            var delete = s.Command("DELETE FROM user_pool_codes WHERE pool_id = $pool AND code_key = $key;");
            delete.Parameters.AddWithValue("$pool", state.userPoolId);
            delete.Parameters.AddWithValue("$key", state.key);
            return await delete.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <summary>Runs inside DeleteUserPoolAsync's write transaction.</summary>
    private static async Task DeleteUserPoolCodesAsync(SqliteSession s, string userPoolId, CancellationToken ct)
    {
        var delete = s.Command("DELETE FROM user_pool_codes WHERE pool_id = $pool;");
        delete.Parameters.AddWithValue("$pool", userPoolId);
        await delete.ExecuteNonQueryAsync(ct);
    }
}
