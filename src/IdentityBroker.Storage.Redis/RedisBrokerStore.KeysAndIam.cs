using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Iam;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    /// <returns>The keys of <paramref name="purpose"/>, oldest first.</returns>
    public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var entries = await Db.HashGetAllAsync(_keys.KeysOf(purpose)).ConfigureAwait(false);
            return (IReadOnlyList<StoredKey>)entries
                .Select(e => ToStoredKey((string)e.Name!, purpose, (string)e.Value!))
                .OrderBy(k => k.CreatedAt)
                .ThenBy(k => k.KeyId, StringComparer.Ordinal)
                .ToList();
        });

    /// <summary>Key ids are unique across purposes (as in the SQLite store); the first writer wins.</summary>
    public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.AddKey,
            [_keys.KeyPurposes, _keys.KeysOf(key.Purpose)],
            [key.KeyId, key.Purpose, $"{Ticks(key.CreatedAt)}\n{key.Material}"]).ConfigureAwait(false) == 1);
    }

    public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return TryCreateDocumentAsync(_keys.Roles, role.RoleName, role, StoreJsonContext.Default.IamRole);
    }

    public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        GetDocumentAsync(_keys.Roles, roleName, StoreJsonContext.Default.IamRole);

    public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return ReplaceDocumentAsync(_keys.Roles, role.RoleName, role, StoreJsonContext.Default.IamRole);
    }

    public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashDeleteAsync(_keys.Roles, roleName));

    /// <returns>All roles ordered by name.</returns>
    public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) =>
        ListDocumentsAsync(_keys.Roles, StoreJsonContext.Default.IamRole);

    public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return TryCreateDocumentAsync(_keys.OidcProviders, provider.Arn, provider, StoreJsonContext.Default.OidcProvider);
    }

    public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) =>
        GetDocumentAsync(_keys.OidcProviders, arn, StoreJsonContext.Default.OidcProvider);

    public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return ReplaceDocumentAsync(_keys.OidcProviders, provider.Arn, provider, StoreJsonContext.Default.OidcProvider);
    }

    public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashDeleteAsync(_keys.OidcProviders, arn));

    /// <returns>All OIDC providers ordered by ARN.</returns>
    public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken) =>
        ListDocumentsAsync(_keys.OidcProviders, StoreJsonContext.Default.OidcProvider);

    private static StoredKey ToStoredKey(string keyId, string purpose, string value)
    {
        var newline = value.IndexOf('\n', StringComparison.Ordinal);
        return new StoredKey(keyId, purpose, value[(newline + 1)..], FromTicks(value[..newline]));
    }

    private Task<bool> TryCreateDocumentAsync<T>(RedisKey hash, string name, T document, JsonTypeInfo<T> json) =>
        GuardAsync(() => Db.HashSetAsync(hash, name, JsonSerializer.Serialize(document, json), When.NotExists));

    private Task<bool> ReplaceDocumentAsync<T>(RedisKey hash, string name, T document, JsonTypeInfo<T> json) =>
        GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.ReplaceField, [hash], [name, JsonSerializer.Serialize(document, json)]).ConfigureAwait(false) == 1);

    private Task<T?> GetDocumentAsync<T>(RedisKey hash, string name, JsonTypeInfo<T> json)
        where T : class =>
        GuardAsync(async () =>
        {
            var value = await Db.HashGetAsync(hash, name).ConfigureAwait(false);
            return value.IsNull ? null : Deserialize((string)value!, json);
        });

    /// <summary>IAM lists are small (as in IAM, a few hundred at most): read whole, ordered by name.</summary>
    private Task<IReadOnlyList<T>> ListDocumentsAsync<T>(RedisKey hash, JsonTypeInfo<T> json)
        where T : class =>
        GuardAsync(async () =>
        {
            var entries = await Db.HashGetAllAsync(hash).ConfigureAwait(false);
            return (IReadOnlyList<T>)entries
                .OrderBy(e => (string)e.Name!, StringComparer.Ordinal)
                .Select(e => Deserialize((string)e.Value!, json))
                .ToList();
        });

    private static T Deserialize<T>(string document, JsonTypeInfo<T> json)
        where T : class =>
        JsonSerializer.Deserialize(document, json) ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is null.");
}
