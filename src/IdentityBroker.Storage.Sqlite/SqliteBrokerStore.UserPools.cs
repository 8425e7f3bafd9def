using System.Text.Json;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : IUserPoolStore
{
    private const string ListUserPoolsSql = "SELECT seq, document FROM user_pools WHERE seq > $after ORDER BY seq LIMIT $limit;";

    public Task<bool> TryCreateUserPoolAsync(UserPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return WriteAsync(pool, static async (s, p, ct) =>
        {
            var command = s.Command("INSERT INTO user_pools (id, document) VALUES ($id, $document) ON CONFLICT (id) DO NOTHING;");
            command.Parameters.AddWithValue("$id", p.Id);
            command.Parameters.AddWithValue("$document", SerializeUserPool(p));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<UserPool?> GetUserPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        CachedReadAsync("pool", "", userPoolId, () => ReadUserPoolAsync(userPoolId, cancellationToken));

    private Task<UserPool?> ReadUserPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        ReadAsync(userPoolId, static async (s, id, ct) =>
        {
            var command = s.Command("SELECT document FROM user_pools WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeUserPool(document) : null;
        }, cancellationToken);

    public Task<bool> UpdateUserPoolAsync(UserPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return WriteAsync(pool, static async (s, p, ct) =>
        {
            var command = s.Command("UPDATE user_pools SET document = $document WHERE id = $id;");
            command.Parameters.AddWithValue("$id", p.Id);
            command.Parameters.AddWithValue("$document", SerializeUserPool(p));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<bool> DeleteUserPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        WriteAsync(userPoolId, DeleteUserPoolRowsAsync, cancellationToken);

    /// <summary>The statements of DeleteUserPoolAsync, for a write transaction: the pool, its clients and its users go together.</summary>
    private static async Task<bool> DeleteUserPoolRowsAsync(SqliteSession s, string id, CancellationToken ct)
    {
        var clients = s.Command("DELETE FROM user_pool_clients WHERE pool_id = $id;");
        clients.Parameters.AddWithValue("$id", id);
        await clients.ExecuteNonQueryAsync(ct);
        await DeletePoolUsersAsync(s, id, ct);
        await DeleteUserPoolCodesAsync(s, id, ct);
        await DeleteUserPoolSignInFailuresAsync(s, id, ct);
        var command = s.Command("DELETE FROM user_pools WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public Task<Page<UserPool>> ListUserPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPools, nextToken);
        return ReadAsync((after, maxResults), static async (s, request, ct) =>
        {
            var command = s.Command(ListUserPoolsSql);
            return await SqlitePages.ReadAsync(command, request.after, request.maxResults, PageCursorKind.UserPools, DeserializeUserPool, ct);
        }, cancellationToken);
    }

    private static string SerializeUserPool(UserPool pool) => JsonSerializer.Serialize(pool, StoreJsonContext.Default.UserPool);

    private static UserPool DeserializeUserPool(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.UserPool)
        ?? throw new InvalidDataException("A stored user pool document is null.");
}
