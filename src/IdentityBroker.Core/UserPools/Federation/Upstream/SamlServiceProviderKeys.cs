using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>What a user pool's SAML key pair is for.</summary>
public enum SamlKeyUse
{
    /// <summary>Signs AuthnRequests, LogoutRequests and LogoutResponses (GetSigningCertificate returns its certificate).</summary>
    Signing,

    /// <summary>IdPs encrypt assertions to it (<c>EncryptedResponses</c>; ProviderDetails' <c>ActiveEncryptionCertificate</c>).</summary>
    Encryption,
}

/// <summary>
/// Each user pool's own keys as a SAML service provider (Cognito developer guide, "SAML signing and encryption": every
/// pool has its own signing certificate, which GetSigningCertificate returns): an RSA key and self-signed certificate that
/// signs AuthnRequests and single-logout messages, and another that IdPs encrypt assertions to. Kept in the store under
/// the purposes <c>userpool-saml-signing:&lt;pool id&gt;</c> and <c>userpool-saml-encryption:&lt;pool id&gt;</c>, created
/// on the pool's first need (the key id is the generation, so replicas creating at once all propose the same id and the
/// store keeps the first). As Cognito's, a certificate is valid for 10 years and a new one is made once a year: the
/// newest signs and is published, and every unexpired one still decrypts. A replica re-reads the store every
/// <see cref="Refresh"/>.
/// <para>
/// Upgrade: before per-pool keys the broker had one pair for all pools (purposes <see cref="LegacySigningPurpose"/> and
/// <see cref="LegacyEncryptionPurpose"/>), which IdPs may have registered. A pool created before the first per-pool key
/// was made (the store's <see cref="PerPoolSincePurpose"/> marker, written once when that happens on a store that holds
/// the shared pair) takes copies of the shared pair as its own keys, so its IdPs keep working; a pool created later gets
/// fresh keys.
/// </para>
/// </summary>
public sealed class SamlServiceProviderKeys(IKeyStore keys, TimeProvider time)
{
    public const string SigningPrefix = "userpool-saml-signing:";
    public const string EncryptionPrefix = "userpool-saml-encryption:";
    public const string LegacySigningPurpose = "userpool-saml-signing";
    public const string LegacyEncryptionPurpose = "userpool-saml-encryption";
    public const string PerPoolSincePurpose = "userpool-saml-per-pool-since";

    public static readonly TimeSpan Validity = TimeSpan.FromDays(3652);
    public static readonly TimeSpan Renewal = TimeSpan.FromDays(365);
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (IReadOnlyList<X509Certificate2> Certificates, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private DateTimeOffset? _perPoolSince;

    /// <summary>The store purpose of a pool's keys of one use.</summary>
    public static string Purpose(string userPoolId, SamlKeyUse use) => (use == SamlKeyUse.Signing ? SigningPrefix : EncryptionPrefix) + userPoolId;

    /// <summary>The pool's newest signing certificate, with its private key. Call only for a pool that exists.</summary>
    public async Task<X509Certificate2> SigningAsync(UserPool pool, CancellationToken cancellationToken) =>
        (await AllAsync(pool, SamlKeyUse.Signing, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The pool's newest encryption certificate (the one published), with its private key.</summary>
    public async Task<X509Certificate2> EncryptionAsync(UserPool pool, CancellationToken cancellationToken) =>
        (await AllAsync(pool, SamlKeyUse.Encryption, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Every unexpired certificate of the pool for <paramref name="use"/>, newest first (never empty).</summary>
    public async Task<IReadOnlyList<X509Certificate2>> AllAsync(UserPool pool, SamlKeyUse use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var purpose = Purpose(pool.Id, use);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_cache.TryGetValue(purpose, out var cached) && now < cached.Until)
            {
                return cached.Certificates;
            }
        }

        var stored = await keys.GetKeysAsync(purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            stored = await FirstKeysAsync(pool, use, purpose, now, cancellationToken).ConfigureAwait(false);
        }

        if (stored.Max(k => k.CreatedAt) + Renewal <= now)
        {
            // The id is the generation: replicas renewing at once all propose the same id, and the store keeps the first.
            await keys.TryAddKeyAsync(Create(purpose, purpose + ":" + stored.Count, use, now), cancellationToken).ConfigureAwait(false);
            stored = await keys.GetKeysAsync(purpose, cancellationToken).ConfigureAwait(false);
        }

        var certificates = stored.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.KeyId, StringComparer.Ordinal)
            .Select(Load).Where(c => c.NotAfter.ToUniversalTime() > now.UtcDateTime).ToList();
        lock (_lock)
        {
            _cache[purpose] = (certificates, now + Refresh);
        }

        return certificates;
    }

    /// <summary>A certificate as SAML metadata and GetSigningCertificate carry it (base64 DER, no PEM armour).</summary>
    public static string Base64(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(certificate.RawData);
    }

    /// <summary>A new key pair and self-signed certificate for <paramref name="use"/>, as the store keeps it.</summary>
    internal static StoredKey Create(string purpose, string keyId, SamlKeyUse use, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=IdentityBroker SAML " + (use == SamlKeyUse.Signing ? "signing" : "encryption"), rsa,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            use == SamlKeyUse.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        var material = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()) + "." + Convert.ToBase64String(certificate.RawData);
        return new StoredKey(keyId, purpose, material, now);
    }

    /// <summary>The pool's first keys: copies of the shared pair for a pool from before per-pool keys, else a new pair.</summary>
    private async Task<IReadOnlyList<StoredKey>> FirstKeysAsync(UserPool pool, SamlKeyUse use, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var legacy = await keys.GetKeysAsync(use == SamlKeyUse.Signing ? LegacySigningPurpose : LegacyEncryptionPurpose, cancellationToken).ConfigureAwait(false);
        if (legacy.Count > 0 && pool.CreationDate < await PerPoolSinceAsync(now, cancellationToken).ConfigureAwait(false))
        {
            var generation = 0;
            foreach (var key in legacy.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal))
            {
                await keys.TryAddKeyAsync(new StoredKey(purpose + ":" + generation++, purpose, key.Material, key.CreatedAt), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await keys.TryAddKeyAsync(Create(purpose, purpose + ":0", use, now), cancellationToken).ConfigureAwait(false);
        }

        return await keys.GetKeysAsync(purpose, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When per-pool keys were first made on this store (first writer wins across replicas; never changes).</summary>
    private async Task<DateTimeOffset> PerPoolSinceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_perPoolSince is { } known)
        {
            return known;
        }

        var marker = await keys.GetKeysAsync(PerPoolSincePurpose, cancellationToken).ConfigureAwait(false);
        if (marker.Count == 0)
        {
            await keys.TryAddKeyAsync(new StoredKey(PerPoolSincePurpose, PerPoolSincePurpose, "marker", now), cancellationToken).ConfigureAwait(false);
            marker = await keys.GetKeysAsync(PerPoolSincePurpose, cancellationToken).ConfigureAwait(false);
        }

        _perPoolSince = marker[0].CreatedAt;
        return marker[0].CreatedAt;
    }

    private static X509Certificate2 Load(StoredKey key)
    {
        var parts = key.Material.Split('.');
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(parts[0]), out _);
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(parts[1]));
        return certificate.CopyWithPrivateKey(rsa);
    }
}
