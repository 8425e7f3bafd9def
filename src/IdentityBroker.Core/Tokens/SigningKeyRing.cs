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
/// The newest key of the configured algorithm (<c>Broker:Tokens:Algorithm</c>) signs. A key is replaced every
/// <c>Broker:Tokens:RotationDays</c> and on demand (docs/revocation.md, "Signing-key rotation"); a replaced key still
/// verifies and stays in the JWKS until every token it can have signed has expired (<see cref="Retention"/> after the key
/// that replaced it was made), so rotation or a change of algorithm never breaks live tokens.
/// </summary>
public sealed class SigningKeyRing(IKeyStore store, IOptions<BrokerOptions> options, TimeProvider time)
{
    public const string Purpose = "openid-signing";

    /// <summary>Cognito signs its OpenID tokens with RS512 (the alg of the tokens GetOpenIdToken returns); STS accepts it.</summary>
    public const string DefaultAlgorithm = SecurityAlgorithms.RsaSha512;

    /// <summary>ECDSA P-256 with SHA-256 (RFC 7518 §3.4); accepted by the embedded STS.</summary>
    public const string EcdsaAlgorithm = SecurityAlgorithms.EcdsaSha256;

    public static readonly IReadOnlyList<string> SupportedAlgorithms = [DefaultAlgorithm, EcdsaAlgorithm];

    /// <summary>
    /// How long a replaced key is kept: the longest-lived token the broker signs (GetOpenIdTokenForDeveloperIdentity's
    /// TokenDuration, at most 86,400 s) plus the clock skew a verifier allows.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(86_400) + TimeSpan.FromMinutes(5);

    /// <summary>An unknown <c>kid</c> makes the ring re-read the store (another replica may have rotated), at most this often.</summary>
    public static readonly TimeSpan UnknownKeyReloadInterval = TimeSpan.FromSeconds(1);

    private long _lastUnknownKeyReload = long.MinValue;

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
        var newest = Newest(stored);
        if (newest is null)
        {
            // Replicas starting on an empty store at once all propose the same key id (derived from the algorithm):
            // the store keeps the first writer's key and every replica reads and signs with that one.
            await store.TryAddKeyAsync(NewKey(DerivedId("initial:" + Algorithm)), cancellationToken).ConfigureAwait(false);
            stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }
        else if (RotationDue(newest))
        {
            // Every replica that finds the rotation due proposes the same key id (derived from the key it replaces):
            // the store keeps the first, so replicas rotating at once still end up with one new key.
            await store.TryAddKeyAsync(NewKey(DerivedId("successor:" + newest.KeyId)), cancellationToken).ConfigureAwait(false);
            stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }

        _keys = KeySet.From(stored, Algorithm, time.GetUtcNow());
    }

    /// <summary>Adds a new signing key now, whatever the schedule (<c>POST /admin/api/keys/rotate</c>), and signs with it.</summary>
    /// <returns>The new key's id.</returns>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        // Strictly newer than every stored key, so that it is the newest on every replica even within one clock tick.
        var stored = await store.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var latest = stored.Count == 0 ? now : stored.Max(k => k.CreatedAt);
        var key = NewKey(RandomKeyId()) with { CreatedAt = latest < now ? now : latest.AddTicks(1) };
        await store.TryAddKeyAsync(key, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return key.KeyId;
    }

    /// <summary>
    /// Re-reads the store when a token names a key this replica does not know (another replica rotated since this one
    /// loaded), at most once per <see cref="UnknownKeyReloadInterval"/>; true when the key is known afterwards.
    /// </summary>
    public async ValueTask<bool> KnowsAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (keyId is null || Keys.All.Any(k => k.Key.KeyId == keyId))
        {
            return true;
        }

        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastUnknownKeyReload);
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < UnknownKeyReloadInterval)
            || Interlocked.CompareExchange(ref _lastUnknownKeyReload, now, last) != last)
        {
            return false;
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Keys.All.Any(k => k.Key.KeyId == keyId);
    }

    private StoredKey? Newest(IReadOnlyList<StoredKey> stored) =>
        stored.Where(k => AlgorithmOf(k) == Algorithm).OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).FirstOrDefault();

    private bool RotationDue(StoredKey newest) =>
        options.Value.Tokens.RotationDays is > 0 and var days && newest.CreatedAt.AddDays(days) <= time.GetUtcNow();

    private string RandomKeyId() => $"{options.Value.Region}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    private string DerivedId(string seed) =>
        $"{options.Value.Region}-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..12]}";

    private StoredKey NewKey(string kid)
    {
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

        public static KeySet From(IReadOnlyList<StoredKey> stored, string algorithm, DateTimeOffset now)
        {
            var ordered = stored.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).ToList();
            var signingId = ordered.First(k => AlgorithmOf(k) == algorithm).KeyId;

            // A key is replaced when the next newer key is made; it goes once no token it signed can still be live.
            var live = ordered.Where((k, i) => i == 0 || k.KeyId == signingId || ordered[i - 1].CreatedAt + Retention > now);
            var keys = live.Select(ToBrokerKey).ToList();
            var signing = keys.First(k => k.Key.KeyId == signingId);
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
