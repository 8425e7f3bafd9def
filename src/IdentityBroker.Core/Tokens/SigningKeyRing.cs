using System.Security.Cryptography;
using System.Text.Json;
using IdentityBroker.Storage;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tokens;

/// <summary>
/// The broker's token-signing keys, kept in the store so that every replica signs with and publishes the same keys.
/// The newest key signs; all keys verify (and are published in the JWKS) so rotation never breaks live tokens.
/// </summary>
public sealed class SigningKeyRing(IKeyStore store, BrokerOptions options, TimeProvider time)
{
    public const string Purpose = "openid-signing";

    /// <summary>Cognito signs its OpenID tokens with RS512 (notes §4); STS accepts it.</summary>
    public const string Algorithm = SecurityAlgorithms.RsaSha512;

    private volatile KeySet? _keys;

    public SigningCredentials Current => Keys.Current;

    public IReadOnlyList<RsaSecurityKey> VerificationKeys => Keys.All;

    private KeySet Keys => _keys ?? throw new InvalidOperationException("The signing key ring is not loaded.");

    /// <summary>Loads the keys, creating the first one when the store has none (first writer wins across replicas).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            await store.TryAddKeyAsync(NewKey(), cancellationToken).ConfigureAwait(false);
            stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }

        _keys = KeySet.From(stored);
    }

    private StoredKey NewKey()
    {
        using var rsa = RSA.Create(2048);
        var kid = $"{options.Region}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var material = JsonSerializer.Serialize(new KeyMaterial(Algorithm, Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())), TokenJsonContext.Default.KeyMaterial);
        return new StoredKey(kid, Purpose, material, time.GetUtcNow());
    }

    private sealed record KeySet(SigningCredentials Current, IReadOnlyList<RsaSecurityKey> All)
    {
        public static KeySet From(IReadOnlyList<StoredKey> stored)
        {
            var keys = stored.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).Select(ToSecurityKey).ToList();
            return new KeySet(new SigningCredentials(keys[0], Algorithm), keys);
        }

        private static RsaSecurityKey ToSecurityKey(StoredKey key)
        {
            var material = JsonSerializer.Deserialize(key.Material, TokenJsonContext.Default.KeyMaterial)
                ?? throw new InvalidOperationException($"Signing key {key.KeyId} has no material.");
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(material.Pkcs8), out _);
            return new RsaSecurityKey(rsa) { KeyId = key.KeyId };
        }
    }
}

internal sealed record KeyMaterial(string Alg, string Pkcs8);
