using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tokens;

/// <summary>
/// Writes compact JWS (RFC 7515 §7.1) with one of the broker's keys: the header of a key never changes, so it is
/// serialized and base64url-encoded once; a token costs the payload's encoding and one signature. The header is what
/// <c>JsonWebTokenHandler</c> wrote for the broker before (<c>alg</c>, <c>kid</c>, <c>typ</c> = JWS), so tokens keep
/// their shape.
/// </summary>
internal sealed class JwsSigner
{
    private readonly byte[] _encodedHeader;
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly HashAlgorithmName _hash;

    private JwsSigner(string keyId, string algorithm, RSA? rsa, ECDsa? ecdsa, HashAlgorithmName hash, bool writeType = true)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _hash = hash;
        _encodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Header(algorithm, keyId, writeType)));
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    /// <summary>A signer for the broker's RS512 (RSA) or ES256 (ECDSA P-256) key.</summary>
    public static JwsSigner For(SecurityKey key, string algorithm) => (key, algorithm) switch
    {
        (RsaSecurityKey rsa, SecurityAlgorithms.RsaSha512) => new JwsSigner(rsa.KeyId, algorithm, rsa.Rsa, null, HashAlgorithmName.SHA512),
        (ECDsaSecurityKey ec, SecurityAlgorithms.EcdsaSha256) => new JwsSigner(ec.KeyId, algorithm, null, ec.ECDsa, HashAlgorithmName.SHA256),
        _ => throw new InvalidOperationException($"No JWS signer for key {key.KeyId} with {algorithm}."),
    };

    /// <summary>
    /// A user pool's RS256 signer. The header is Cognito's: <c>kid</c> and <c>alg</c> only, no <c>typ</c> (Amazon Cognito
    /// Developer Guide, "Understanding the identity (ID) token", ID token header).
    /// </summary>
    public static JwsSigner UserPool(RsaSecurityKey key) =>
        new(key.KeyId, SecurityAlgorithms.RsaSha256, key.Rsa, null, HashAlgorithmName.SHA256, writeType: false);

    /// <summary>
    /// An ES256 signer for a key the broker holds on someone's behalf (Sign in with Apple's client secret): the header is
    /// <c>alg</c> and <c>kid</c>, as Apple's "Creating a client secret" asks.
    /// </summary>
    public static JwsSigner Es256(string keyId, ECDsa key) => new(keyId, SecurityAlgorithms.EcdsaSha256, null, key, HashAlgorithmName.SHA256, writeType: false);

    /// <summary>The length of <see cref="Sign"/>'s result for a payload of <paramref name="payloadBytes"/> bytes, without signing.</summary>
    public int SignedLength(int payloadBytes) =>
        _encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payloadBytes) + 1 + Base64Url.GetEncodedLength(SignatureBytes);

    /// <summary>header.payload.signature for the UTF-8 JSON <paramref name="payload"/>.</summary>
    public string Sign(ReadOnlySpan<byte> payload)
    {
        var inputLength = _encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payload.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(inputLength + 1 + Base64Url.GetEncodedLength(512));
        try
        {
            _encodedHeader.CopyTo(buffer, 0);
            buffer[_encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, buffer.AsSpan(_encodedHeader.Length + 1));
            Span<byte> signature = stackalloc byte[512];
            var length = SignInput(buffer.AsSpan(0, inputLength), signature);
            buffer[inputLength] = (byte)'.';
            var written = Base64Url.EncodeToUtf8(signature[..length], buffer.AsSpan(inputLength + 1));
            return Encoding.ASCII.GetString(buffer, 0, inputLength + 1 + written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An RSASSA-PKCS1-v1_5 signature is as long as the modulus; an ECDSA one is R || S of the curve's field size.</summary>
    private int SignatureBytes => _rsa is not null
        ? (_rsa.KeySize + 7) / 8
        : _ecdsa!.GetMaxSignatureSize(DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    // RSASSA-PKCS1-v1_5 (RFC 7518 §3.3); ECDSA as R || S, fixed width (RFC 7518 §3.4), which is .NET's IEEE P1363 format.
    // RSA and ECDsa instances of .NET on Linux (OpenSSL) sign concurrently; Microsoft.IdentityModel shares them the same way.
    private int SignInput(ReadOnlySpan<byte> input, Span<byte> signature)
    {
        var signed = _rsa is not null
            ? _rsa.TrySignData(input, signature, _hash, RSASignaturePadding.Pkcs1, out var written)
            : _ecdsa!.TrySignData(input, signature, _hash, out written);
        return signed ? written : throw new CryptographicException("The signature did not fit in 512 bytes.");
    }

    private static byte[] Header(string algorithm, string keyId, bool writeType)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (writeType)
            {
                writer.WriteString("alg", algorithm);
                writer.WriteString("kid", keyId);
                writer.WriteString("typ", "JWS");
            }
            else
            {
                writer.WriteString("kid", keyId);
                writer.WriteString("alg", algorithm);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
