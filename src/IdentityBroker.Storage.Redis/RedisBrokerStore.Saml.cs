using System.Text.Json.Serialization;
using IdentityBroker.Iam;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore : ISamlProviderStore
{
    public Task<bool> TryCreateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return TryCreateDocumentAsync(_keys.SamlProviders, provider.Arn, provider, RedisJsonContext.Default.SamlProvider);
    }

    public Task<SamlProvider?> GetSamlProviderAsync(string arn, CancellationToken cancellationToken) =>
        GetDocumentAsync(_keys.SamlProviders, arn, RedisJsonContext.Default.SamlProvider);

    public Task<bool> UpdateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return ReplaceDocumentAsync(_keys.SamlProviders, provider.Arn, provider, RedisJsonContext.Default.SamlProvider);
    }

    public Task<bool> DeleteSamlProviderAsync(string arn, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashDeleteAsync(_keys.SamlProviders, arn));

    /// <returns>All SAML providers ordered by ARN.</returns>
    public Task<IReadOnlyList<SamlProvider>> ListSamlProvidersAsync(CancellationToken cancellationToken) =>
        ListDocumentsAsync(_keys.SamlProviders, RedisJsonContext.Default.SamlProvider);

    /// <summary>
    /// One script on the <c>{saml}</c> slot: forget (a bounded batch of) records retained until before
    /// <paramref name="now"/>, then record the use unless a live record exists. The clock is the caller's
    /// <paramref name="now"/>, not Redis's, so replicas and tests agree on expiry.
    /// </summary>
    public Task<SamlAssertionUse?> RecordAssertionUseAsync(SamlAssertionUse use, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        return GuardAsync(async () =>
        {
            var earlier = await Db.ScriptEvaluateAsync(
                RedisScripts.RecordAssertionUse,
                [_keys.SamlUses, _keys.SamlRetention],
                [use.Key, EncodeUse(use), use.RetainUntil.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()]).ConfigureAwait(false);
            return earlier.IsNull ? null : DecodeUse(use.Key, (string)earlier!);
        });
    }

    // valid-until ticks | one-time-use | retain-until ticks | binding (last: it is the only free-form part).
    private static string EncodeUse(SamlAssertionUse use) =>
        $"{Ticks(use.ValidUntil)}|{(use.OneTimeUse ? 1 : 0)}|{Ticks(use.RetainUntil)}|{use.Binding}";

    private static SamlAssertionUse DecodeUse(string key, string value)
    {
        var parts = value.Split('|', 4);
        return new SamlAssertionUse(key, parts[3], FromTicks(parts[0]), parts[1] == "1", FromTicks(parts[2]));
    }
}

/// <summary>Source-generated serialization of documents only this store keeps.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SamlProvider))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;

/// <summary>
/// The SAML sign-in sessions of user pools and the hosted sign-outs single logout orders, in the user pool's slot: one
/// hash per (provider, NameID) whose fields are the SessionIndexes, and one key per user holding the latest sign-out.
/// Each operation touches one key, so no script spans slots; keys expire with what they hold.
/// </summary>
public sealed partial class RedisBrokerStore : ISamlSessionStore
{
    // Value "<signed-out Unix ms>|<keep-until Unix ms>" (ms: Lua's numbers are doubles, exact to 2^53, which ticks exceed):
    // sets it unless a later sign-out is kept, and lets the key outlive the later keep-until (the caller's clock decides
    // what is still kept; Redis's expiry only frees the memory).
    private const string MaxSignOutScript = """
        local current = redis.call('GET', KEYS[1])
        if current then
          local at, keep = string.match(current, '^(%d+)|(%d+)$')
          if tonumber(at) >= tonumber(ARGV[1]) and tonumber(keep) >= tonumber(ARGV[2]) then return 0 end
          if tonumber(at) > tonumber(ARGV[1]) then ARGV[1] = at end
          if tonumber(keep) > tonumber(ARGV[2]) then ARGV[2] = keep end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    public Task RecordSamlSessionAsync(SamlSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var key = SamlSessionsKey(session.UserPoolId, session.ProviderName, session.NameId);
        return GuardAsync(async () =>
        {
            var expired = (await Db.HashGetAllAsync(key).ConfigureAwait(false))
                .Where(e => DecodeSession(session, e).ExpiresAt <= now).Select(e => e.Name).ToArray();
            if (expired.Length > 0)
            {
                await Db.HashDeleteAsync(key, expired).ConfigureAwait(false);
            }

            await Db.HashSetAsync(key, session.SessionIndex, $"{Ticks(session.ExpiresAt)}|{session.Sub}").ConfigureAwait(false);
            var ttl = await Db.KeyTimeToLiveAsync(key).ConfigureAwait(false);
            var keep = session.ExpiresAt - now;
            if (ttl is null || ttl < keep)
            {
                await Db.KeyExpireAsync(key, keep > TimeSpan.Zero ? keep : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
            }

            return 0;
        });
    }

    public Task<IReadOnlyList<SamlSession>> FindSamlSessionsAsync(
        string userPoolId, string providerName, string nameId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var template = new SamlSession(userPoolId, providerName, nameId, string.Empty, string.Empty, now);
        return GuardAsync(async () => (IReadOnlyList<SamlSession>)(await Db.HashGetAllAsync(SamlSessionsKey(userPoolId, providerName, nameId)).ConfigureAwait(false))
            .Select(e => DecodeSession(template, e)).Where(s => s.ExpiresAt > now).OrderBy(s => s.SessionIndex, StringComparer.Ordinal).ToList());
    }

    public Task EndHostedSessionsAsync(
        string userPoolId, string sub, DateTimeOffset signedOutAt, DateTimeOffset keepUntil, IReadOnlyList<SamlSession> ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        return GuardAsync(async () =>
        {
            // Redis keeps the key a day past keep-until, whatever its clock says; reads compare keep-until with the caller's clock.
            var ttl = (long)Math.Max(1, (keepUntil - signedOutAt + TimeSpan.FromDays(1)).TotalMilliseconds);
            await Db.ScriptEvaluateAsync(MaxSignOutScript, [_keys.UserPool(userPoolId).HostedSignOut(Hash(sub))],
                [CeilingMilliseconds(signedOutAt), CeilingMilliseconds(keepUntil), ttl]).ConfigureAwait(false);
            foreach (var session in ended)
            {
                await Db.HashDeleteAsync(SamlSessionsKey(session.UserPoolId, session.ProviderName, session.NameId), session.SessionIndex).ConfigureAwait(false);
            }

            return 0;
        });
    }

    public Task<DateTimeOffset?> GetHostedSignOutAsync(string userPoolId, string sub, DateTimeOffset now, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var value = await Db.StringGetAsync(_keys.UserPool(userPoolId).HostedSignOut(Hash(sub))).ConfigureAwait(false);
            var parts = value.IsNull ? null : ((string)value!).Split('|');
            return parts is null || FromMilliseconds(parts[1]) < now ? (DateTimeOffset?)null : FromMilliseconds(parts[0]);
        });

    private RedisKey SamlSessionsKey(string userPoolId, string providerName, string nameId) =>
        _keys.UserPool(userPoolId).SamlSessions(Hash(providerName.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + providerName + nameId));

    /// <summary>Rounded up, so that a session that started within the sign-out's millisecond still counts as before it.</summary>
    private static long CeilingMilliseconds(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;

    private static DateTimeOffset FromMilliseconds(string value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

    private static string Hash(string value) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));

    private static SamlSession DecodeSession(SamlSession template, HashEntry entry)
    {
        var parts = ((string)entry.Value!).Split('|', 2);
        return template with { SessionIndex = (string)entry.Name!, ExpiresAt = FromTicks(parts[0]), Sub = parts[1] };
    }
}
