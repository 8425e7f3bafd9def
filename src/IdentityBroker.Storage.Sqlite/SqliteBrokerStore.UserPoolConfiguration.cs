using System.Text.Json;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.ResourceServers;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>The user-pool part of a configuration apply, inside its one transaction (docs/config-as-code.md, "apply").</summary>
public sealed partial class SqliteBrokerStore
{
    private static async Task UserPoolsInterferedAsync(SqliteSession s, UserPoolChanges c, List<string> interfered, CancellationToken ct)
    {
        foreach (var change in c.Pools)
        {
            var command = s.Command("SELECT document FROM user_pools WHERE id = $id;");
            command.Parameters.AddWithValue("$id", change.Key);
            var stored = await command.ExecuteScalarAsync(ct) is string document ? SerializeUserPool(DeserializeUserPool(document)) : null;
            Compare(stored, change.Before is { } before ? SerializeUserPool(before) : null, ConfigurationChanges.UserPoolKind, change.Key, interfered);
        }

        foreach (var change in c.Clients)
        {
            var key = (change.Before ?? change.After)!;
            var command = s.Command("SELECT document FROM user_pool_clients WHERE pool_id = $pool AND client_id = $client;");
            command.Parameters.AddWithValue("$pool", key.UserPoolId);
            command.Parameters.AddWithValue("$client", key.ClientId);
            var stored = await command.ExecuteScalarAsync(ct) is string document ? ClientJson(DeserializeClient(document)) : null;
            Compare(stored, change.Before is { } before ? ClientJson(before) : null, ConfigurationChanges.UserPoolClientKind, change.Key, interfered);
        }

        foreach (var change in c.Groups)
        {
            var key = (change.Before ?? change.After)!;
            var command = KeyCommand(s, "SELECT document FROM user_pool_groups WHERE pool_id = $pool AND name_key = $key;", key.UserPoolId, GroupNames.Key(key.GroupName));
            var stored = await command.ExecuteScalarAsync(ct) is string document ? GroupJson(DeserializeGroup(document)) : null;
            Compare(stored, change.Before is { } before ? GroupJson(before) : null, ConfigurationChanges.UserPoolGroupKind, change.Key, interfered);
        }

        foreach (var change in c.ResourceServers)
        {
            var key = (change.Before ?? change.After)!;
            var command = s.Command("SELECT document FROM user_pool_resource_servers WHERE pool_id = $pool AND identifier = $identifier;");
            command.Parameters.AddWithValue("$pool", key.UserPoolId);
            command.Parameters.AddWithValue("$identifier", key.Identifier);
            var stored = await command.ExecuteScalarAsync(ct) is string document ? ServerJson(DeserializeResourceServer(document)) : null;
            Compare(stored, change.Before is { } before ? ServerJson(before) : null, ConfigurationChanges.ResourceServerKind, change.Key, interfered);
        }
    }

    /// <summary>Pools created or updated first (clients and groups need their pool), deleted last (with their users, as DeleteUserPoolAsync).</summary>
    private static async Task PutUserPoolsAsync(SqliteSession s, UserPoolChanges c, CancellationToken ct)
    {
        foreach (var change in c.Pools.Where(p => p.After is not null))
        {
            var command = s.Command(change.Before is null
                ? "INSERT INTO user_pools (id, document) VALUES ($id, $document);"
                : "UPDATE user_pools SET document = $document WHERE id = $id;");
            command.Parameters.AddWithValue("$id", change.Key);
            command.Parameters.AddWithValue("$document", SerializeUserPool(change.After!));
            await command.ExecuteNonQueryAsync(ct);
        }

        foreach (var change in c.Clients)
        {
            await (change.After is { } client
                ? ClientCommand(s, change.Before is null ? InsertClientSql : "UPDATE user_pool_clients SET document = $document WHERE pool_id = $pool AND client_id = $client;", client)
                : ClientCommand(s, "DELETE FROM user_pool_clients WHERE pool_id = $pool AND client_id = $client;", change.Before!)).ExecuteNonQueryAsync(ct);
        }

        foreach (var change in c.Groups)
        {
            await (change.After is { } group
                ? GroupCommand(s, change.Before is null ? InsertGroupSql : "UPDATE user_pool_groups SET document = $document WHERE pool_id = $pool AND name_key = $key;", group)
                : GroupCommand(s, "DELETE FROM user_pool_groups WHERE pool_id = $pool AND name_key = $key;", change.Before!)).ExecuteNonQueryAsync(ct);
        }

        foreach (var change in c.ResourceServers)
        {
            var command = s.Command(change.After is null
                ? "DELETE FROM user_pool_resource_servers WHERE pool_id = $pool AND identifier = $identifier;"
                : change.Before is null
                    ? "INSERT INTO user_pool_resource_servers (pool_id, identifier, document) VALUES ($pool, $identifier, $document);"
                    : "UPDATE user_pool_resource_servers SET document = $document WHERE pool_id = $pool AND identifier = $identifier;");
            Bind(command, (change.After ?? change.Before)!);
            await command.ExecuteNonQueryAsync(ct);
        }

        foreach (var change in c.Pools.Where(p => p.After is null))
        {
            await DeleteUserPoolRowsAsync(s, change.Key, ct);
        }
    }

    private static void Compare(string? stored, string? before, string kind, string key, List<string> interfered)
    {
        if (stored != before)
        {
            interfered.Add(ConfigurationChanges.Name(kind, key));
        }
    }

    private static string ClientJson(UserPoolClient client) => JsonSerializer.Serialize(client, StoreJsonContext.Default.UserPoolClient);

    private static string ServerJson(ResourceServer server) => JsonSerializer.Serialize(server, OAuthStoreJsonContext.Default.ResourceServer);

    private static string GroupJson(UserPoolGroup group) => JsonSerializer.Serialize(group, StoreJsonContext.Default.UserPoolGroup);
}
