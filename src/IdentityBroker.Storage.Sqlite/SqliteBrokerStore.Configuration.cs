using IdentityBroker.Pools;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : IConfigurationStore
{
    /// <summary>One write of the queue, so one transaction: every resource is compared first, and nothing is written unless all are unchanged.</summary>
    public Task<ConfigurationWrite> ApplyConfigurationAsync(ConfigurationChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return WriteAsync(changes, static async (s, c, ct) =>
        {
            var interfered = await InterferedAsync(s, c, ct);
            if (interfered.Count > 0)
            {
                return new ConfigurationWrite(false, interfered, []);
            }

            foreach (var change in c.Roles)
            {
                await Roles.PutAsync(s, change.Key, change.After, ct);
            }

            foreach (var change in c.OidcProviders)
            {
                await OidcProviders.PutAsync(s, change.Key, change.After, ct);
            }

            foreach (var change in c.SamlProviders)
            {
                await SamlProviders.PutAsync(s, change.Key, change.After, ct);
            }

            await PutUserPoolsAsync(s, c.UserPools, ct);
            foreach (var change in c.Pools)
            {
                await PutPoolAsync(s, change, ct);
            }

            return ConfigurationWrite.Done;
        }, cancellationToken);
    }

    private static async Task<List<string>> InterferedAsync(SqliteSession s, ConfigurationChanges c, CancellationToken ct)
    {
        var interfered = new List<string>();
        foreach (var change in c.Roles)
        {
            if (!await Roles.IsUnchangedAsync(s, change.Key, change.Before, ct))
            {
                interfered.Add(ConfigurationChanges.Name(ConfigurationChanges.RoleKind, change.Key));
            }
        }

        foreach (var change in c.OidcProviders)
        {
            if (!await OidcProviders.IsUnchangedAsync(s, change.Key, change.Before, ct))
            {
                interfered.Add(ConfigurationChanges.Name(ConfigurationChanges.OidcProviderKind, change.Key));
            }
        }

        foreach (var change in c.SamlProviders)
        {
            if (!await SamlProviders.IsUnchangedAsync(s, change.Key, change.Before, ct))
            {
                interfered.Add(ConfigurationChanges.Name(ConfigurationChanges.SamlProviderKind, change.Key));
            }
        }

        foreach (var change in c.Pools)
        {
            var command = s.Command(SelectPoolSql);
            command.Parameters.AddWithValue("$id", change.Key);
            var stored = await command.ExecuteScalarAsync(ct) is string document ? Serialize(DeserializePool(document)) : null;
            if (stored != (change.Before is { } before ? Serialize(before) : null))
            {
                interfered.Add(ConfigurationChanges.Name(ConfigurationChanges.PoolKind, change.Key));
            }
        }

        await UserPoolsInterferedAsync(s, c.UserPools, interfered, ct);
        return interfered;
    }

    /// <summary>The statements of CreatePoolAsync, UpdatePoolAsync and DeletePoolAsync (whose foreign keys take the identities along).</summary>
    private static async Task PutPoolAsync(SqliteSession s, StoredChange<IdentityPool> change, CancellationToken ct)
    {
        if (change.After is not { } pool)
        {
            var delete = s.Command(DeletePoolSql);
            delete.Parameters.AddWithValue("$id", change.Key);
            await delete.ExecuteNonQueryAsync(ct);
            return;
        }

        var command = s.Command(change.Before is null ? InsertPoolSql : UpdatePoolSql);
        command.Parameters.AddWithValue("$id", pool.IdentityPoolId);
        command.Parameters.AddWithValue("$name", pool.IdentityPoolName);
        command.Parameters.AddWithValue("$document", Serialize(pool));
        if (change.Before is null)
        {
            command.Parameters.AddWithValue("$created", ToTicks(pool.CreationDate));
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
