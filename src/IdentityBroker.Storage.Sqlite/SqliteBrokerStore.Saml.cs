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

/// <summary>The SAML sign-in sessions of user pools and the hosted sign-outs single logout orders (UTC ticks).</summary>
public sealed partial class SqliteBrokerStore : ISamlSessionStore
{
    public Task RecordSamlSessionAsync(SamlSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return WriteUncachedAsync((session, now), static async (s, state, ct) =>
        {
            var purge = s.Command("DELETE FROM user_pool_saml_sessions WHERE expires <= $now;");
            purge.Parameters.AddWithValue("$now", ToTicks(state.now));
            await purge.ExecuteNonQueryAsync(ct);
            var upsert = s.Command(
                "INSERT INTO user_pool_saml_sessions (pool_id, provider, name_id, session_index, sub, expires) VALUES ($pool, $provider, $name, $index, $sub, $expires) "
                + "ON CONFLICT (pool_id, provider, name_id, session_index) DO UPDATE SET sub = excluded.sub, expires = excluded.expires;");
            upsert.Parameters.AddWithValue("$pool", state.session.UserPoolId);
            upsert.Parameters.AddWithValue("$provider", state.session.ProviderName);
            upsert.Parameters.AddWithValue("$name", state.session.NameId);
            upsert.Parameters.AddWithValue("$index", state.session.SessionIndex);
            upsert.Parameters.AddWithValue("$sub", state.session.Sub);
            upsert.Parameters.AddWithValue("$expires", ToTicks(state.session.ExpiresAt));
            return await upsert.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<SamlSession>> FindSamlSessionsAsync(
        string userPoolId, string providerName, string nameId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, providerName, nameId, now), static async (s, q, ct) =>
        {
            var select = s.Command(
                "SELECT session_index, sub, expires FROM user_pool_saml_sessions WHERE pool_id = $pool AND provider = $provider AND name_id = $name "
                + "AND expires > $now ORDER BY session_index;");
            select.Parameters.AddWithValue("$pool", q.userPoolId);
            select.Parameters.AddWithValue("$provider", q.providerName);
            select.Parameters.AddWithValue("$name", q.nameId);
            select.Parameters.AddWithValue("$now", ToTicks(q.now));
            var sessions = new List<SamlSession>();
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                sessions.Add(new SamlSession(q.userPoolId, q.providerName, q.nameId, reader.GetString(0), reader.GetString(1), FromTicks(reader.GetInt64(2))));
            }

            return (IReadOnlyList<SamlSession>)sessions;
        }, cancellationToken);

    public Task EndHostedSessionsAsync(
        string userPoolId, string sub, DateTimeOffset signedOutAt, DateTimeOffset keepUntil, IReadOnlyList<SamlSession> ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        return WriteUncachedAsync((userPoolId, sub, signedOutAt, keepUntil, ended), static async (s, q, ct) =>
        {
            var upsert = s.Command(
                "INSERT INTO user_pool_hosted_signouts (pool_id, sub, signed_out, keep_until) VALUES ($pool, $sub, $at, $keep) "
                + "ON CONFLICT (pool_id, sub) DO UPDATE SET signed_out = MAX(signed_out, excluded.signed_out), keep_until = MAX(keep_until, excluded.keep_until);");
            upsert.Parameters.AddWithValue("$pool", q.userPoolId);
            upsert.Parameters.AddWithValue("$sub", q.sub);
            upsert.Parameters.AddWithValue("$at", ToTicks(q.signedOutAt));
            upsert.Parameters.AddWithValue("$keep", ToTicks(q.keepUntil));
            await upsert.ExecuteNonQueryAsync(ct);
            var purge = s.Command("DELETE FROM user_pool_hosted_signouts WHERE keep_until < $at;");
            purge.Parameters.AddWithValue("$at", ToTicks(q.signedOutAt));
            await purge.ExecuteNonQueryAsync(ct);
            foreach (var session in q.ended)
            {
                var delete = s.Command(
                    "DELETE FROM user_pool_saml_sessions WHERE pool_id = $pool AND provider = $provider AND name_id = $name AND session_index = $index;");
                delete.Parameters.AddWithValue("$pool", session.UserPoolId);
                delete.Parameters.AddWithValue("$provider", session.ProviderName);
                delete.Parameters.AddWithValue("$name", session.NameId);
                delete.Parameters.AddWithValue("$index", session.SessionIndex);
                await delete.ExecuteNonQueryAsync(ct);
            }

            return 0;
        }, cancellationToken);
    }

    public Task<DateTimeOffset?> GetHostedSignOutAsync(string userPoolId, string sub, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, sub, now), static async (s, q, ct) =>
        {
            var select = s.Command("SELECT signed_out FROM user_pool_hosted_signouts WHERE pool_id = $pool AND sub = $sub AND keep_until >= $now;");
            select.Parameters.AddWithValue("$pool", q.userPoolId);
            select.Parameters.AddWithValue("$sub", q.sub);
            select.Parameters.AddWithValue("$now", ToTicks(q.now));
            return await select.ExecuteScalarAsync(ct) is long ticks ? FromTicks(ticks) : (DateTimeOffset?)null;
        }, cancellationToken);
}
