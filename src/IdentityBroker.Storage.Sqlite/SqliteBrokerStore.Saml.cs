using System.Text.Json.Serialization;
using IdentityBroker.Iam;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : ISamlProviderStore
{
    private static readonly SqliteDocumentTable<SamlProvider> SamlProviders =
        new("saml_providers", "arn", SamlStoreJsonContext.Default.SamlProvider, p => p.Arn);

    public Task<bool> TryCreateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(provider, static (s, p, ct) => SamlProviders.InsertAsync(s, p, ct), cancellationToken);
    }

    public Task<SamlProvider?> GetSamlProviderAsync(string arn, CancellationToken cancellationToken) =>
        ReadAsync(arn, static (s, arn, ct) => SamlProviders.SelectAsync(s, arn, ct), cancellationToken);

    public Task<bool> UpdateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(provider, static (s, p, ct) => SamlProviders.UpdateAsync(s, p, ct), cancellationToken);
    }

    public Task<bool> DeleteSamlProviderAsync(string arn, CancellationToken cancellationToken) =>
        WriteAsync(arn, static (s, arn, ct) => SamlProviders.DeleteAsync(s, arn, ct), cancellationToken);

    public Task<IReadOnlyList<SamlProvider>> ListSamlProvidersAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static (s, _, ct) => SamlProviders.ListAsync(s, ct), cancellationToken);

    public Task<SamlAssertionUse?> RecordAssertionUseAsync(SamlAssertionUse use, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        return WriteAsync((use, now), static (s, state, ct) => RecordUseAsync(s, state.use, state.now, ct), cancellationToken);
    }

    /// <summary>Runs inside the write transaction: forget expired records, insert if absent, else return the earlier record.</summary>
    private static async Task<SamlAssertionUse?> RecordUseAsync(SqliteSession s, SamlAssertionUse use, DateTimeOffset now, CancellationToken ct)
    {
        var purge = s.Command("DELETE FROM saml_assertion_uses WHERE retain_until < $now;");
        purge.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await purge.ExecuteNonQueryAsync(ct);

        var insert = s.Command(
            "INSERT INTO saml_assertion_uses (key, binding, valid_until, one_time_use, retain_until) "
            + "VALUES ($key, $binding, $valid, $once, $retain) ON CONFLICT (key) DO NOTHING;");
        insert.Parameters.AddWithValue("$key", use.Key);
        insert.Parameters.AddWithValue("$binding", use.Binding);
        insert.Parameters.AddWithValue("$valid", use.ValidUntil.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$once", use.OneTimeUse ? 1 : 0);
        insert.Parameters.AddWithValue("$retain", use.RetainUntil.ToUnixTimeMilliseconds());
        if (await insert.ExecuteNonQueryAsync(ct) == 1)
        {
            return null;
        }

        var select = s.Command("SELECT binding, valid_until, one_time_use, retain_until FROM saml_assertion_uses WHERE key = $key;");
        select.Parameters.AddWithValue("$key", use.Key);
        await using var reader = await select.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidDataException("A SAML assertion record vanished inside its write transaction.");
        }

        return new SamlAssertionUse(
            use.Key,
            reader.GetString(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetInt64(2) != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }
}

/// <summary>Source-generated serialization of the stored SAML provider documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SamlProvider))]
internal sealed partial class SamlStoreJsonContext : JsonSerializerContext;
