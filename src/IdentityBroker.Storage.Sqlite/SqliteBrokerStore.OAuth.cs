using System.Text.Json;
using IdentityBroker.UserPools.Domains;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>
/// Domains: the primary key (prefix) and the unique pool id make one domain per prefix and per pool. Authorization codes:
/// taking one is a <c>DELETE … RETURNING</c> on the single writer, so one caller gets it.
/// </remarks>
public sealed partial class SqliteBrokerStore : IUserPoolDomainStore, IAuthorizationCodeStore
{
    public Task<DomainCreation> TryCreateDomainAsync(UserPoolDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return WriteAsync(domain, static async (s, d, ct) =>
        {
            var exists = s.Command("SELECT (SELECT COUNT(*) FROM user_pool_domains WHERE domain = $domain), "
                + "(SELECT COUNT(*) FROM user_pool_domains WHERE pool_id = $pool);");
            exists.Parameters.AddWithValue("$domain", d.Domain);
            exists.Parameters.AddWithValue("$pool", d.UserPoolId);
            await using (var reader = await exists.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                if (reader.GetInt64(0) > 0)
                {
                    return DomainCreation.DomainTaken;
                }

                if (reader.GetInt64(1) > 0)
                {
                    return DomainCreation.PoolHasDomain;
                }
            }

            var insert = s.Command("INSERT INTO user_pool_domains (domain, pool_id, document) VALUES ($domain, $pool, $document);");
            insert.Parameters.AddWithValue("$domain", d.Domain);
            insert.Parameters.AddWithValue("$pool", d.UserPoolId);
            insert.Parameters.AddWithValue("$document", JsonSerializer.Serialize(d, OAuthStoreJsonContext.Default.UserPoolDomain));
            await insert.ExecuteNonQueryAsync(ct);
            return DomainCreation.Created;
        }, cancellationToken);
    }

    public Task<UserPoolDomain?> GetDomainAsync(string domain, CancellationToken cancellationToken) =>
        ReadAsync(domain, static (s, d, ct) => SelectDomainAsync(s, "domain", d, ct), cancellationToken);

    public Task<UserPoolDomain?> GetDomainOfPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        ReadAsync(userPoolId, static (s, id, ct) => SelectDomainAsync(s, "pool_id", id, ct), cancellationToken);

    public Task<bool> UpdateDomainAsync(UserPoolDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return WriteAsync(domain, static async (s, d, ct) =>
        {
            var update = s.Command("UPDATE user_pool_domains SET document = $document WHERE domain = $domain AND pool_id = $pool;");
            update.Parameters.AddWithValue("$domain", d.Domain);
            update.Parameters.AddWithValue("$pool", d.UserPoolId);
            update.Parameters.AddWithValue("$document", JsonSerializer.Serialize(d, OAuthStoreJsonContext.Default.UserPoolDomain));
            return await update.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<bool> DeleteDomainAsync(string domain, string userPoolId, CancellationToken cancellationToken) =>
        WriteAsync((domain, userPoolId), static async (s, state, ct) =>
        {
            var delete = s.Command("DELETE FROM user_pool_domains WHERE domain = $domain AND pool_id = $pool;");
            delete.Parameters.AddWithValue("$domain", state.domain);
            delete.Parameters.AddWithValue("$pool", state.userPoolId);
            return await delete.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task PutAuthorizationCodeAsync(AuthorizationCode code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return WriteAsync((code, now), static async (s, state, ct) =>
        {
            var purge = s.Command("DELETE FROM user_pool_authorization_codes WHERE expires < $now;");
            purge.Parameters.AddWithValue("$now", state.now.ToUnixTimeMilliseconds());
            await purge.ExecuteNonQueryAsync(ct);
            var insert = s.Command("INSERT INTO user_pool_authorization_codes (pool_id, code_hash, expires, document) "
                + "SELECT $pool, $hash, $expires, $document WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool);");
            insert.Parameters.AddWithValue("$pool", state.code.UserPoolId);
            insert.Parameters.AddWithValue("$hash", state.code.CodeHash);
            insert.Parameters.AddWithValue("$expires", state.code.ExpiresAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$document", JsonSerializer.Serialize(state.code, OAuthStoreJsonContext.Default.AuthorizationCode));
            return await insert.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public Task<AuthorizationCode?> TakeAuthorizationCodeAsync(string userPoolId, string codeHash, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, codeHash), static async (s, state, ct) =>
        {
            var take = s.Command("DELETE FROM user_pool_authorization_codes WHERE pool_id = $pool AND code_hash = $hash RETURNING document;");
            take.Parameters.AddWithValue("$pool", state.userPoolId);
            take.Parameters.AddWithValue("$hash", state.codeHash);
            return await take.ExecuteScalarAsync(ct) is string document
                ? JsonSerializer.Deserialize(document, OAuthStoreJsonContext.Default.AuthorizationCode)
                : null;
        }, cancellationToken);

    /// <param name="column">"domain" or "pool_id", never input.</param>
    private static async Task<UserPoolDomain?> SelectDomainAsync(SqliteSession s, string column, string value, CancellationToken ct)
    {
        var select = s.Command($"SELECT document FROM user_pool_domains WHERE {column} = $value;");
        select.Parameters.AddWithValue("$value", value);
        return await select.ExecuteScalarAsync(ct) is string document
            ? JsonSerializer.Deserialize(document, OAuthStoreJsonContext.Default.UserPoolDomain)
            : null;
    }
}
