using System.Text.Json;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    // Inserted only while the pool exists, inside the write transaction that DeleteUserPoolAsync also uses.
    private const string InsertClientSql =
        "INSERT INTO user_pool_clients (pool_id, client_id, document) SELECT $pool, $client, $document "
        + "WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool) ON CONFLICT (pool_id, client_id) DO NOTHING;";

    private const string ListClientsSql =
        "SELECT seq, document FROM user_pool_clients WHERE pool_id = $pool AND seq > $after ORDER BY seq LIMIT $limit;";

    public Task<bool> TryCreateClientAsync(UserPoolClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return WriteAsync(client, static async (s, c, ct) => await ClientCommand(s, InsertClientSql, c).ExecuteNonQueryAsync(ct) == 1,
            cancellationToken);
    }

    public Task<UserPoolClient?> GetClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, clientId), static async (s, key, ct) =>
        {
            var command = s.Command("SELECT document FROM user_pool_clients WHERE pool_id = $pool AND client_id = $client;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$client", key.clientId);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeClient(document) : null;
        }, cancellationToken);

    public Task<UserPoolClient?> FindClientAsync(string clientId, CancellationToken cancellationToken) =>
        ReadAsync(clientId, static async (s, id, ct) =>
        {
            var command = s.Command("SELECT document FROM user_pool_clients WHERE client_id = $client LIMIT 1;");
            command.Parameters.AddWithValue("$client", id);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeClient(document) : null;
        }, cancellationToken);

    public Task<bool> UpdateClientAsync(UserPoolClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return WriteAsync(client, static async (s, c, ct) => await ClientCommand(s,
            "UPDATE user_pool_clients SET document = $document WHERE pool_id = $pool AND client_id = $client;", c)
            .ExecuteNonQueryAsync(ct) == 1, cancellationToken);
    }

    public Task<bool> DeleteClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, clientId), static async (s, key, ct) =>
        {
            var command = s.Command("DELETE FROM user_pool_clients WHERE pool_id = $pool AND client_id = $client;");
            command.Parameters.AddWithValue("$pool", key.userPoolId);
            command.Parameters.AddWithValue("$client", key.clientId);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<Page<UserPoolClient>> ListClientsAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolClients, nextToken);
        return ReadAsync((userPoolId, after, maxResults), static async (s, request, ct) =>
        {
            var command = s.Command(ListClientsSql);
            command.Parameters.AddWithValue("$pool", request.userPoolId);
            return await SqlitePages.ReadAsync(command, request.after, request.maxResults, PageCursorKind.UserPoolClients, DeserializeClient, ct);
        }, cancellationToken);
    }

    private static Microsoft.Data.Sqlite.SqliteCommand ClientCommand(SqliteSession s, string sql, UserPoolClient client)
    {
        var command = s.Command(sql);
        command.Parameters.AddWithValue("$pool", client.UserPoolId);
        command.Parameters.AddWithValue("$client", client.ClientId);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(client, StoreJsonContext.Default.UserPoolClient));
        return command;
    }

    private static UserPoolClient DeserializeClient(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.UserPoolClient)
        ?? throw new InvalidDataException("A stored user pool client document is null.");
}
