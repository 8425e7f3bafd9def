using System.Security.Cryptography;
using System.Text.Json;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Storage;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tokens;

/// <summary>A verification key of the broker and the JWS algorithm it was made for.</summary>
public sealed record BrokerKey(SecurityKey Key, string Algorithm);

/// <summary>
/// The broker's token-signing keys, kept in the store so that every replica signs with and publishes the same keys.
/// The newest key of the configured algorithm (<c>Broker:Tokens:Algorithm</c>) signs; all keys verify (and are published
/// in the JWKS) so rotation or a change of algorithm never breaks live tokens.
/// </summary>
public sealed class SigningKeyRing(IKeyStore store, IOptions<BrokerOptions> options, TimeProvider time)
{
    public const string Purpose = "openid-signing";

    /// <summary>Cognito signs its OpenID tokens with RS512 (the alg of the tokens GetOpenIdToken returns); STS accepts it.</summary>
    public const string DefaultAlgorithm = SecurityAlgorithms.RsaSha512;

    /// <summary>ECDSA P-256 with SHA-256 (RFC 7518 §3.4); accepted by the embedded STS.</summary>
    public const string EcdsaAlgorithm = SecurityAlgorithms.EcdsaSha256;

    public static readonly IReadOnlyList<string> SupportedAlgorithms = [DefaultAlgorithm, EcdsaAlgorithm];

    private volatile KeySet? _keys;

    /// <summary>The configured signing algorithm.</summary>
    public string Algorithm => options.Value.Tokens.Algorithm;

    public SigningCredentials Current => Keys.Current;

    /// <summary>Writes tokens with <see cref="Current"/>.</summary>
    internal JwsSigner Signer => Keys.Signer;

    public IReadOnlyList<SecurityKey> VerificationKeys => Keys.Verification;

    /// <summary>Verifies the broker's own tokens: every key of the ring, each for its own algorithm only; built once per load.</summary>
    internal JwsVerifier Verifier => Keys.Verifier;

    /// <summary>Every key with its algorithm, newest first: what the JWKS publishes.</summary>
    public IReadOnlyList<BrokerKey> PublishedKeys => Keys.All;

    private KeySet Keys => _keys ?? throw new InvalidOperationException("The signing key ring is not loaded.");

    /// <summary>
    /// Loads the keys, creating one of the configured algorithm when the store has none (first writer wins across
    /// replicas: every replica re-reads and picks the same newest key).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>Broker:Tokens:Algorithm</c> is not supported (stops start-up).</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!SupportedAlgorithms.Contains(Algorithm, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Broker:Tokens:Algorithm must be one of {string.Join(", ", SupportedAlgorithms)} (got '{Algorithm}').");
        }

        var stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        if (!stored.Any(k => AlgorithmOf(k) == Algorithm))
        {
            await store.TryAddKeyAsync(NewKey(), cancellationToken).ConfigureAwait(false);
            stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }

        _keys = KeySet.From(stored, Algorithm);
    }

    private StoredKey NewKey()
    {
        var kid = $"{options.Value.Region}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        byte[] pkcs8;
        if (Algorithm == EcdsaAlgorithm)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ec.ExportPkcs8PrivateKey();
        }
        else
        {
            using var rsa = RSA.Create(2048);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
        }

        var material = JsonSerializer.Serialize(new KeyMaterial(Algorithm, Convert.ToBase64String(pkcs8)), TokenJsonContext.Default.KeyMaterial);
        return new StoredKey(kid, Purpose, material, time.GetUtcNow());
    }

    private static KeyMaterial Material(StoredKey key) =>
        JsonSerializer.Deserialize(key.Material, TokenJsonContext.Default.KeyMaterial)
            ?? throw new InvalidOperationException($"Signing key {key.KeyId} has no material.");

    private static string AlgorithmOf(StoredKey key) => Material(key).Alg;

    private sealed record KeySet(SigningCredentials Current, JwsSigner Signer, IReadOnlyList<BrokerKey> All, IReadOnlyList<SecurityKey> Verification)
    {
        public JwsVerifier Verifier { get; } = JwsVerifier.From(All.Select(k => k.Key), key => All.First(k => ReferenceEquals(k.Key, key)).Algorithm);

        public static KeySet From(IReadOnlyList<StoredKey> stored, string algorithm)
        {
            var keys = stored.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).Select(ToBrokerKey).ToList();
            var signing = keys.First(k => k.Algorithm == algorithm);
            return new KeySet(
                new SigningCredentials(signing.Key, signing.Algorithm), JwsSigner.For(signing.Key, signing.Algorithm), keys, [.. keys.Select(k => k.Key)]);
        }

        private static BrokerKey ToBrokerKey(StoredKey key)
        {
            var material = Material(key);
            var pkcs8 = Convert.FromBase64String(material.Pkcs8);
            if (material.Alg == EcdsaAlgorithm)
            {
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                return new BrokerKey(new ECDsaSecurityKey(ec) { KeyId = key.KeyId }, material.Alg);
            }

            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new BrokerKey(new RsaSecurityKey(rsa) { KeyId = key.KeyId }, material.Alg);
        }
    }
}

internal sealed record KeyMaterial(string Alg, string Pkcs8);
