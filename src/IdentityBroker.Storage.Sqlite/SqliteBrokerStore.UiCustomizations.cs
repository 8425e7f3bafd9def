using System.Text.Json;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>A customization goes with its pool by ON DELETE CASCADE, and is written only while the pool exists.</remarks>
public sealed partial class SqliteBrokerStore : IUiCustomizationStore
{
    public Task PutUiCustomizationAsync(UiCustomization customization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customization);
        return WriteAsync(customization, static async (s, c, ct) =>
        {
            var command = s.Command(
                "INSERT INTO user_pool_ui_customizations (pool_id, client_id, document) SELECT $pool, $client, $document "
                + "WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool) "
                + "ON CONFLICT (pool_id, client_id) DO UPDATE SET document = excluded.document;");
            command.Parameters.AddWithValue("$pool", c.UserPoolId);
            command.Parameters.AddWithValue("$client", c.ClientId);
            command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(c, StoreJsonContext.Default.UiCustomization));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public Task<UiCustomization?> GetUiCustomizationAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, clientId), static async (s, k, ct) =>
        {
            var command = s.Command("SELECT document FROM user_pool_ui_customizations WHERE pool_id = $pool AND client_id = $client;");
            command.Parameters.AddWithValue("$pool", k.userPoolId);
            command.Parameters.AddWithValue("$client", k.clientId);
            return await command.ExecuteScalarAsync(ct) is string document
                ? JsonSerializer.Deserialize(document, StoreJsonContext.Default.UiCustomization)
                : null;
        }, cancellationToken);

    public Task<bool> DeleteUiCustomizationAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, clientId), static async (s, k, ct) =>
        {
            var command = s.Command("DELETE FROM user_pool_ui_customizations WHERE pool_id = $pool AND client_id = $client;");
            command.Parameters.AddWithValue("$pool", k.userPoolId);
            command.Parameters.AddWithValue("$client", k.clientId);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
}
