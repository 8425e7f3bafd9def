using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>One user pool's RS256 key: its signer, the verification keys for its issuer, and its public JWK.</summary>
public sealed class UserPoolKey
{
    internal UserPoolKey(string issuer, RsaSecurityKey key)
    {
        Key = key;
        Signer = JwsSigner.UserPool(key);
        Keys = new IssuerKeys(issuer, [key], IsBroker: false, ProviderArn: string.Empty)
        {
            Verifier = JwsVerifier.From([key], _ => SecurityAlgorithms.RsaSha256),
        };
    }

    public RsaSecurityKey Key { get; }

    public string KeyId => Key.KeyId;

    internal JwsSigner Signer { get; }

    /// <summary>The issuer and its one key, for <see cref="JwtReader"/> in process (no JWKS fetch).</summary>
    public IssuerKeys Keys { get; }
}

/// <summary>
/// Each user pool's own signing key (Cognito: each pool has its own keys, published at its <c>jwks_uri</c>). Kept in the
/// store under the purpose <c>userpool-signing:&lt;id&gt;</c> so that every replica signs with and publishes the same key.
/// The key id is derived from the pool id, so when two replicas create a pool's key at once the store keeps the first
/// (key ids are unique) and both read back that one. A key is created only for a pool that exists (the caller checks);
/// verification only reads (<see cref="FindAsync"/>), so a token naming an unknown pool creates nothing.
/// </summary>
public sealed class UserPoolSigningKeys(IKeyStore store, UserPoolIssuer issuer, TimeProvider time)
{
    public const string PurposePrefix = "userpool-signing:";

    private readonly ConcurrentDictionary<string, UserPoolKey> _loaded = new(StringComparer.Ordinal);

    /// <summary>The pool's key, created on first use. Call only for a pool that exists.</summary>
    public async Task<UserPoolKey> GetOrCreateAsync(string userPoolId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userPoolId, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found;
        }

        await store.TryAddKeyAsync(NewKey(userPoolId), cancellationToken).ConfigureAwait(false);
        return await FindAsync(userPoolId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The signing key of user pool {userPoolId} was not stored.");
    }

    /// <summary>The pool's key when one was ever created; null otherwise (an unknown pool).</summary>
    public async Task<UserPoolKey?> FindAsync(string userPoolId, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(userPoolId, out var cached))
        {
            return cached;
        }

        var stored = await store.GetKeysAsync(PurposePrefix + userPoolId, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            return null;
        }

        var key = new UserPoolKey(issuer.IssuerOf(userPoolId), Read(stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).First()));
        return _loaded.GetOrAdd(userPoolId, key);
    }

    private StoredKey NewKey(string userPoolId)
    {
        using var rsa = RSA.Create(2048);
        var material = JsonSerializer.Serialize(
            new KeyMaterial(SecurityAlgorithms.RsaSha256, Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())), TokenJsonContext.Default.KeyMaterial);
        return new StoredKey(KeyIdOf(userPoolId), PurposePrefix + userPoolId, material, time.GetUtcNow());
    }

    /// <summary>Deterministic per pool (first writer wins); opaque like Cognito's base64 kids.</summary>
    private static string KeyIdOf(string userPoolId) =>
        Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("userpool-signing/" + userPoolId)).AsSpan(0, 24));

    private static RsaSecurityKey Read(StoredKey stored)
    {
        var material = JsonSerializer.Deserialize(stored.Material, TokenJsonContext.Default.KeyMaterial)
            ?? throw new InvalidOperationException($"Signing key {stored.KeyId} has no material.");
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(material.Pkcs8), out _);
        return new RsaSecurityKey(rsa) { KeyId = stored.KeyId };
    }
}
