using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The broker's own keys as a SAML service provider (Cognito developer guide, "SAML signing and encryption"): an RSA key
/// and self-signed certificate that signs AuthnRequests and LogoutRequests, and another that IdPs encrypt assertions to.
/// Kept in the store (purposes <see cref="SigningPurpose"/> and <see cref="EncryptionPurpose"/>) so every replica uses
/// the same ones. As Cognito's, a certificate is valid for 10 years and a new one is made once a year: the newest signs,
/// and every unexpired one still decrypts, so an IdP has the year to pick up the new certificate from the SP metadata.
/// A replica re-reads the store every <see cref="Refresh"/>, so a key another replica made is seen within that time.
/// </summary>
public sealed class SamlServiceProviderKeys(IKeyStore keys, TimeProvider time)
{
    public const string SigningPurpose = "userpool-saml-signing";
    public const string EncryptionPurpose = "userpool-saml-encryption";

    public static readonly TimeSpan Validity = TimeSpan.FromDays(3652);
    public static readonly TimeSpan Renewal = TimeSpan.FromDays(365);
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (IReadOnlyList<X509Certificate2> Certificates, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The newest signing certificate, with its private key.</summary>
    public async Task<X509Certificate2> SigningAsync(CancellationToken cancellationToken) =>
        (await AllAsync(SigningPurpose, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The newest encryption certificate (the one the SP metadata publishes), with its private key.</summary>
    public async Task<X509Certificate2> EncryptionAsync(CancellationToken cancellationToken) =>
        (await AllAsync(EncryptionPurpose, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Every unexpired certificate of the purpose, newest first (never empty).</summary>
    public async Task<IReadOnlyList<X509Certificate2>> AllAsync(string purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_cache.TryGetValue(purpose, out var cached) && now < cached.Until)
            {
                return cached.Certificates;
            }
        }

        var stored = await keys.GetKeysAsync(purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0 || stored.Max(k => k.CreatedAt) + Renewal <= now)
        {
            // The id is the generation: replicas renewing at once all propose the same id, and the store keeps the first.
            await keys.TryAddKeyAsync(New(purpose, purpose + ":" + stored.Count, now), cancellationToken).ConfigureAwait(false);
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

    private static StoredKey New(string purpose, string keyId, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=IdentityBroker SAML " + (purpose == SigningPurpose ? "signing" : "encryption"), rsa,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            purpose == SigningPurpose ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        var material = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()) + "." + Convert.ToBase64String(certificate.RawData);
        return new StoredKey(keyId, purpose, material, now);
    }

    private static X509Certificate2 Load(StoredKey key)
    {
        var parts = key.Material.Split('.');
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(parts[0]), out _);
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(parts[1]));
        return certificate.CopyWithPrivateKey(rsa);
    }

    /// <summary>A certificate as SAML metadata carries it (ds:X509Certificate: base64 DER).</summary>
    public static string Base64(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(certificate.RawData);
    }
}
