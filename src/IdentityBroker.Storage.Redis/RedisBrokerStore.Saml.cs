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
