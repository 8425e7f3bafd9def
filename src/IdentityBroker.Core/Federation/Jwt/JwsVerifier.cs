using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Jwt;

/// <summary>What a key set says of a signature.</summary>
internal enum JwsCheck
{
    Verified,

    /// <summary>The token names a kid the key set does not have.</summary>
    NoKeyForKid,

    BadSignature,
}

/// <summary>
/// The signature check of a compact JWS against one key set (a fetched JWKS, or the broker's key ring): the key objects
/// (RSA, ECDsa) are built once per key set and shared by every request until the next. Only the asymmetric RS*, PS* and
/// ES* algorithms verify; a key verifies only for its own family, for the alg its JWK names (when it names one) and, for
/// EC, only for the alg of its curve (RFC 7518 §3.4).
/// </summary>
internal sealed class JwsVerifier
{
    /// <summary>
    /// NIST SP 800-131A: RSA keys under 2048 bits are disallowed for signatures. IdentityModel's own minimum for verifying
    /// is 1024, which the broker used to inherit; a provider publishing a 1024-bit key now verifies nothing.
    /// </summary>
    private const int MinimumRsaKeyBits = 2048;

    private readonly IReadOnlyList<VerificationKey> _keys;

    private JwsVerifier(IReadOnlyList<VerificationKey> keys) => _keys = keys;

    public int Count => _keys.Count;

    /// <summary>
    /// The signing keys of a JWKS, selected as IdentityModel's <c>JsonWebKeySet.GetSigningKeys</c> selects them: a key with
    /// a <c>use</c> other than <c>sig</c> is left out, as is a key that cannot be read.
    /// </summary>
    public static JwsVerifier From(JsonWebKeySet? keySet)
    {
        var keys = new List<VerificationKey>();
        foreach (var jwk in keySet?.Keys ?? [])
        {
            if (!string.IsNullOrEmpty(jwk.Use) && !string.Equals(jwk.Use, JsonWebKeyUseNames.Sig, StringComparison.Ordinal))
            {
                continue;
            }

            if (Read(jwk) is { } key)
            {
                keys.Add(key);
            }
        }

        return new JwsVerifier(keys);
    }

    /// <summary>
    /// Keys held as objects (the broker's key ring, or keys a test hands over): each verifies only for
    /// <paramref name="algorithmOf"/>'s answer when that is not null.
    /// </summary>
    public static JwsVerifier From(IEnumerable<SecurityKey> keys, Func<SecurityKey, string?> algorithmOf)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(algorithmOf);
        var read = new List<VerificationKey>();
        foreach (var key in keys)
        {
            VerificationKey? verification = key switch
            {
                RsaSecurityKey { Rsa: { } rsa } when rsa.KeySize >= MinimumRsaKeyBits => new RsaKey(key.KeyId, algorithmOf(key), rsa),
                ECDsaSecurityKey { ECDsa: { } ec } when CurveOf(ec) is { } curve => new EcKey(key.KeyId, algorithmOf(key), ec, curve),
                JsonWebKey jwk => Read(jwk),
                _ => null,
            };
            if (verification is not null)
            {
                read.Add(verification);
            }
        }

        return new JwsVerifier(read);
    }

    /// <summary>True when the set has a key published under <paramref name="keyId"/>.</summary>
    public bool HasKey(string keyId) => _keys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));

    /// <summary>
    /// Whether a key of the set verifies the signature: with a kid, only the keys of that kid are tried (another key would
    /// hide a rotation problem); without one, every key.
    /// </summary>
    public JwsCheck Verify(CompactJws jws, string token)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(token);
        var candidates = 0;
        foreach (var key in _keys)
        {
            if (jws.KeyId is not null && !string.Equals(key.KeyId, jws.KeyId, StringComparison.Ordinal))
            {
                continue;
            }

            candidates++;
            if (key.Verify(jws.Algorithm, token.AsSpan(0, jws.SigningInputLength), jws.Signature))
            {
                return JwsCheck.Verified;
            }
        }

        return candidates == 0 ? JwsCheck.NoKeyForKid : JwsCheck.BadSignature;
    }

    private static string? CurveOf(ECDsa ec) => ec.KeySize switch
    {
        256 => JsonWebKeyECTypes.P256,
        384 => JsonWebKeyECTypes.P384,
        521 => JsonWebKeyECTypes.P521,
        _ => null,
    };

    private static VerificationKey? Read(JsonWebKey jwk)
    {
        try
        {
            return jwk.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA => (VerificationKey?)ReadRsa(jwk),
                JsonWebAlgorithmsKeyTypes.EllipticCurve => ReadEc(jwk),
                _ => null,
            };
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null; // An unreadable key verifies nothing, as IdentityModel skips it.
        }
    }

    private static RsaKey? ReadRsa(JsonWebKey jwk)
    {
        RSA? rsa;
        if (!string.IsNullOrEmpty(jwk.N) && !string.IsNullOrEmpty(jwk.E))
        {
            rsa = RSA.Create(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) });
        }
        else if (jwk.X5c.Count > 0)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(jwk.X5c[0]));
            rsa = certificate.GetRSAPublicKey();
        }
        else
        {
            return null;
        }

        if (rsa is null || rsa.KeySize < MinimumRsaKeyBits)
        {
            rsa?.Dispose();
            return null;
        }

        return new RsaKey(jwk.KeyId, NullIfEmpty(jwk.Alg), rsa);
    }

    private static EcKey? ReadEc(JsonWebKey jwk)
    {
        var curve = jwk.Crv switch
        {
            JsonWebKeyECTypes.P256 => ECCurve.NamedCurves.nistP256,
            JsonWebKeyECTypes.P384 => ECCurve.NamedCurves.nistP384,
            JsonWebKeyECTypes.P521 => ECCurve.NamedCurves.nistP521,
            _ => (ECCurve?)null,
        };
        if (curve is null || string.IsNullOrEmpty(jwk.X) || string.IsNullOrEmpty(jwk.Y))
        {
            return null;
        }

        var ecdsa = ECDsa.Create(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) } });
        return new EcKey(jwk.KeyId, NullIfEmpty(jwk.Alg), ecdsa, jwk.Crv);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static HashAlgorithmName HashOf(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, "Not an algorithm of the allow-list."),
    };

    private abstract class VerificationKey(string? keyId, string? jwkAlgorithm)
    {
        public string? KeyId { get; } = keyId;

        /// <summary>RFC 7517 §4.4: when the JWK names its alg, the key is for that algorithm only.</summary>
        public bool Verify(string alg, ReadOnlySpan<char> signingInput, ReadOnlySpan<byte> signature)
        {
            if (jwkAlgorithm is not null && !string.Equals(jwkAlgorithm, alg, StringComparison.Ordinal))
            {
                return false;
            }

            // The signing input is base64url and dots only (checked by CompactJws), so its ASCII bytes are its chars.
            var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(signingInput.Length);
            try
            {
                var length = System.Text.Encoding.ASCII.GetBytes(signingInput, bytes);
                return VerifyBytes(alg, bytes.AsSpan(0, length), signature);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
            }
        }

        protected abstract bool VerifyBytes(string alg, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
    }

    private sealed class RsaKey(string? keyId, string? jwkAlgorithm, RSA rsa) : VerificationKey(keyId, jwkAlgorithm)
    {
        private readonly int _signatureLength = (rsa.KeySize + 7) / 8;

        protected override bool VerifyBytes(string alg, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
        {
            // RFC 7518 §3.3/§3.5: RS* is PKCS#1 v1.5, PS* is PSS (salt length = hash length, .NET's PSS rule).
            var padding = alg switch
            {
                SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSha384 or SecurityAlgorithms.RsaSha512 => RSASignaturePadding.Pkcs1,
                SecurityAlgorithms.RsaSsaPssSha256 or SecurityAlgorithms.RsaSsaPssSha384 or SecurityAlgorithms.RsaSsaPssSha512 => RSASignaturePadding.Pss,
                _ => null,
            };
            return padding is not null && signature.Length == _signatureLength && rsa.VerifyData(data, signature, HashOf(alg), padding);
        }
    }

    private sealed class EcKey(string? keyId, string? jwkAlgorithm, ECDsa ecdsa, string curve) : VerificationKey(keyId, jwkAlgorithm)
    {
        protected override bool VerifyBytes(string alg, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
        {
            // RFC 7518 §3.4: ES256 is P-256, ES384 P-384, ES512 P-521; the signature is r||s, each the curve's size.
            var (expectedCurve, fieldBytes) = alg switch
            {
                SecurityAlgorithms.EcdsaSha256 => (JsonWebKeyECTypes.P256, 32),
                SecurityAlgorithms.EcdsaSha384 => (JsonWebKeyECTypes.P384, 48),
                SecurityAlgorithms.EcdsaSha512 => (JsonWebKeyECTypes.P521, 66),
                _ => (null, 0),
            };
            return expectedCurve is not null && string.Equals(curve, expectedCurve, StringComparison.Ordinal)
                && signature.Length == 2 * fieldBytes
                && ecdsa.VerifyData(data, signature, HashOf(alg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }
}
