using System.Text.Json;
using IdentityBroker.UserPools.Federation;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>
/// Providers go with their pool, and identifiers with their provider, by ON DELETE CASCADE. Writes run one at a time on
/// the writer, so checking the identifiers and then claiming them is one atomic step.
/// </remarks>
public sealed partial class SqliteBrokerStore : IUserPoolIdentityProviderStore
{
    private const string InsertProviderSql =
        "INSERT INTO user_pool_identity_providers (pool_id, name, document) SELECT $pool, $name, $document "
        + "WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool) ON CONFLICT (pool_id, name) DO NOTHING;";

    public Task<ProviderWrite> TryCreateProviderAsync(PoolIdentityProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(provider, static async (s, p, ct) =>
        {
            if (!await UserPoolExistsAsync(s, p.UserPoolId, ct))
            {
                return ProviderWrite.NoPool;
            }

            if (await ProviderExistsAsync(s, p.UserPoolId, p.ProviderName, ct))
            {
                return ProviderWrite.NameTaken;
            }

            if (await IdentifierTakenAsync(s, p, ct))
            {
                return ProviderWrite.IdentifierTaken;
            }

            await ProviderCommand(s, InsertProviderSql, p).ExecuteNonQueryAsync(ct);
            await ClaimIdentifiersAsync(s, p, ct);
            return ProviderWrite.Written;
        }, cancellationToken);
    }

    public Task<PoolIdentityProvider?> GetProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, providerName), static async (s, k, ct) =>
            await NameCommand(s, "SELECT document FROM user_pool_identity_providers WHERE pool_id = $pool AND name = $name;", k.userPoolId, k.providerName)
                .ExecuteScalarAsync(ct) is string document ? DeserializeProvider(document) : null,
            cancellationToken);

    public Task<PoolIdentityProvider?> FindProviderByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, idpIdentifier), static async (s, k, ct) =>
        {
            var command = s.Command(
                "SELECT p.document FROM user_pool_idp_identifiers i JOIN user_pool_identity_providers p ON p.pool_id = i.pool_id AND p.name = i.name "
                + "WHERE i.pool_id = $pool AND i.identifier = $identifier;");
            command.Parameters.AddWithValue("$pool", k.userPoolId);
            command.Parameters.AddWithValue("$identifier", k.idpIdentifier);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeProvider(document) : null;
        }, cancellationToken);

    public Task<ProviderWrite> UpdateProviderAsync(PoolIdentityProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(provider, static async (s, p, ct) =>
        {
            if (!await ProviderExistsAsync(s, p.UserPoolId, p.ProviderName, ct))
            {
                return ProviderWrite.NotFound;
            }

            if (await IdentifierTakenAsync(s, p, ct))
            {
                return ProviderWrite.IdentifierTaken;
            }

            await ProviderCommand(s, "UPDATE user_pool_identity_providers SET document = $document WHERE pool_id = $pool AND name = $name;", p)
                .ExecuteNonQueryAsync(ct);
            await NameCommand(s, "DELETE FROM user_pool_idp_identifiers WHERE pool_id = $pool AND name = $name;", p.UserPoolId, p.ProviderName)
                .ExecuteNonQueryAsync(ct);
            await ClaimIdentifiersAsync(s, p, ct);
            return ProviderWrite.Written;
        }, cancellationToken);
    }

    public Task<bool> DeleteProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, providerName), static async (s, k, ct) =>
            await NameCommand(s, "DELETE FROM user_pool_identity_providers WHERE pool_id = $pool AND name = $name;", k.userPoolId, k.providerName)
                .ExecuteNonQueryAsync(ct) == 1,
            cancellationToken);

    public Task<Page<PoolIdentityProvider>> ListProvidersAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolIdentityProviders, nextToken);
        return ReadAsync((userPoolId, after, limit), static async (s, r, ct) =>
        {
            var command = s.Command(
                "SELECT seq, document FROM user_pool_identity_providers WHERE pool_id = $pool AND seq > $after ORDER BY seq LIMIT $limit;");
            command.Parameters.AddWithValue("$pool", r.userPoolId);
            return await SqlitePages.ReadAsync(command, r.after, r.limit, PageCursorKind.UserPoolIdentityProviders, DeserializeProvider, ct);
        }, cancellationToken);
    }

    private static async Task<bool> ProviderExistsAsync(SqliteSession s, string userPoolId, string providerName, CancellationToken ct) =>
        await NameCommand(s, "SELECT 1 FROM user_pool_identity_providers WHERE pool_id = $pool AND name = $name;", userPoolId, providerName)
            .ExecuteScalarAsync(ct) is not null;

    /// <summary>True when another provider of the pool holds one of <paramref name="provider"/>'s identifiers.</summary>
    private static async Task<bool> IdentifierTakenAsync(SqliteSession s, PoolIdentityProvider provider, CancellationToken ct)
    {
        foreach (var identifier in provider.IdpIdentifiers)
        {
            var command = NameCommand(s, "SELECT 1 FROM user_pool_idp_identifiers WHERE pool_id = $pool AND identifier = $identifier AND name <> $name;",
                provider.UserPoolId, provider.ProviderName);
            command.Parameters.AddWithValue("$identifier", identifier);
            if (await command.ExecuteScalarAsync(ct) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task ClaimIdentifiersAsync(SqliteSession s, PoolIdentityProvider provider, CancellationToken ct)
    {
        foreach (var identifier in provider.IdpIdentifiers)
        {
            var command = NameCommand(s, "INSERT INTO user_pool_idp_identifiers (pool_id, identifier, name) VALUES ($pool, $identifier, $name);",
                provider.UserPoolId, provider.ProviderName);
            command.Parameters.AddWithValue("$identifier", identifier);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static SqliteCommand NameCommand(SqliteSession s, string sql, string userPoolId, string providerName)
    {
        var command = s.Command(sql);
        command.Parameters.AddWithValue("$pool", userPoolId);
        command.Parameters.AddWithValue("$name", providerName);
        return command;
    }

    private static SqliteCommand ProviderCommand(SqliteSession s, string sql, PoolIdentityProvider provider)
    {
        var command = NameCommand(s, sql, provider.UserPoolId, provider.ProviderName);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(provider, StoreJsonContext.Default.PoolIdentityProvider));
        return command;
    }

    private static PoolIdentityProvider DeserializeProvider(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.PoolIdentityProvider)
        ?? throw new InvalidDataException("A stored identity provider document is null.");
}
