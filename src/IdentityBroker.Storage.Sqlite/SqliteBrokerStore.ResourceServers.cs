using System.Text.Json;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.ResourceServers;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>Resource servers go with their pool by cascade; the pool's existence is checked inside the insert.</remarks>
public sealed partial class SqliteBrokerStore : IResourceServerStore
{
    public Task<bool> TryCreateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return WriteAsync(server, static async (s, r, ct) =>
        {
            var insert = s.Command("INSERT INTO user_pool_resource_servers (pool_id, identifier, document) "
                + "SELECT $pool, $identifier, $document WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool) "
                + "ON CONFLICT (pool_id, identifier) DO NOTHING;");
            Bind(insert, r);
            return await insert.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<ResourceServer?> GetResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, identifier), static async (s, state, ct) =>
        {
            var select = s.Command("SELECT document FROM user_pool_resource_servers WHERE pool_id = $pool AND identifier = $identifier;");
            select.Parameters.AddWithValue("$pool", state.userPoolId);
            select.Parameters.AddWithValue("$identifier", state.identifier);
            return await select.ExecuteScalarAsync(ct) is string document ? DeserializeResourceServer(document) : null;
        }, cancellationToken);

    public Task<bool> UpdateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return WriteAsync(server, static async (s, r, ct) =>
        {
            var update = s.Command("UPDATE user_pool_resource_servers SET document = $document WHERE pool_id = $pool AND identifier = $identifier;");
            Bind(update, r);
            return await update.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<bool> DeleteResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, identifier), static async (s, state, ct) =>
        {
            var delete = s.Command("DELETE FROM user_pool_resource_servers WHERE pool_id = $pool AND identifier = $identifier;");
            delete.Parameters.AddWithValue("$pool", state.userPoolId);
            delete.Parameters.AddWithValue("$identifier", state.identifier);
            return await delete.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<Page<ResourceServer>> ListResourceServersAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.ResourceServers, nextToken);
        return ReadAsync((userPoolId, after, maxResults), static async (s, request, ct) =>
        {
            var command = s.Command(
                "SELECT seq, document FROM user_pool_resource_servers WHERE pool_id = $pool AND seq > $after ORDER BY seq LIMIT $limit;");
            command.Parameters.AddWithValue("$pool", request.userPoolId);
            return await SqlitePages.ReadAsync(command, request.after, request.maxResults, PageCursorKind.ResourceServers, DeserializeResourceServer, ct);
        }, cancellationToken);
    }

    private static void Bind(Microsoft.Data.Sqlite.SqliteCommand command, ResourceServer server)
    {
        command.Parameters.AddWithValue("$pool", server.UserPoolId);
        command.Parameters.AddWithValue("$identifier", server.Identifier);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(server, OAuthStoreJsonContext.Default.ResourceServer));
    }

    private static ResourceServer DeserializeResourceServer(string document) =>
        JsonSerializer.Deserialize(document, OAuthStoreJsonContext.Default.ResourceServer)
        ?? throw new InvalidDataException("A stored resource server document is null.");
}
