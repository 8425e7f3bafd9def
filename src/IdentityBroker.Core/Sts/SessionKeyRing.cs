using System.Security.Cryptography;
using IdentityBroker.Storage;

namespace IdentityBroker.Sts;

/// <summary>
/// The key that protects session tokens and derives secrets, kept in <see cref="IKeyStore"/> (purpose <c>sts-session</c>)
/// so every replica shares it. Created on first use: every replica tries to add the same key id, the first writer wins,
/// and all then use what the store holds.
/// </summary>
public sealed class SessionKeyRing(IKeyStore store, TimeProvider time)
{
    public const string Purpose = "sts-session";
    public const string CurrentKeyId = "sts-session-1";

    private SessionKey? _current;

    public async ValueTask<SessionKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } cached)
        {
            return cached;
        }

        var key = await FindStoredAsync(CurrentKeyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            var candidate = new StoredKey(CurrentKeyId, Purpose, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), time.GetUtcNow());
            await store.TryAddKeyAsync(candidate, cancellationToken).ConfigureAwait(false);
            key = await FindStoredAsync(CurrentKeyId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The key store did not keep the STS session key.");
        }

        Volatile.Write(ref _current, key);
        return key;
    }

    /// <summary>The key a token names, or null when the store has no such key.</summary>
    public async ValueTask<SessionKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } cached && cached.KeyId == keyId)
        {
            return cached;
        }

        return keyId == CurrentKeyId ? await GetCurrentAsync(cancellationToken).ConfigureAwait(false) : await FindStoredAsync(keyId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SessionKey?> FindStoredAsync(string keyId, CancellationToken cancellationToken)
    {
        var keys = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        var stored = keys.FirstOrDefault(k => k.KeyId == keyId);
        return stored is null ? null : new SessionKey(stored.KeyId, Convert.FromBase64String(stored.Material));
    }
}

/// <summary>A session key and the two keys derived from it (HKDF, RFC 5869): one seals tokens, one derives secrets.</summary>
public sealed class SessionKey
{
    internal SessionKey(string keyId, byte[] material)
    {
        KeyId = keyId;
        SealingKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "sts-session-token"u8.ToArray());
        SecretKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "sts-secret-access-key"u8.ToArray());
    }

    // AesGcm keeps a native cipher context that one call at a time may use; creating one per token was a visible cost, so
    // each thread keeps one for the key it last used.
    [ThreadStatic]
    private static (SessionKey? Key, AesGcm? Aes) t_sealer;

    public string KeyId { get; }

    internal byte[] SealingKey { get; }

    internal byte[] SecretKey { get; }

    /// <summary>AES-256-GCM with <see cref="SealingKey"/> and 16-byte tags, for the calling thread only.</summary>
    internal AesGcm Sealer()
    {
        if (!ReferenceEquals(t_sealer.Key, this) || t_sealer.Aes is null)
        {
            t_sealer = (this, new AesGcm(SealingKey, 16));
        }

        return t_sealer.Aes;
    }
}
