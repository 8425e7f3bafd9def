using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.Sealing;

/// <summary>
/// Opaque values the broker hands to a client and reads back (sign-in Sessions, the hosted-session cookie, federation
/// state): AES-256-GCM under the purpose's <see cref="StoredSecret"/>, as base64url of <c>version | nonce (12) | tag (16) |
/// ciphertext</c>, with <c>&lt;purpose&gt;/v1</c> as associated data so that a value sealed for one purpose never opens
/// as another. Nothing a client changes survives the tag; anything malformed opens as null.
/// </summary>
public sealed class SealedBox(StoredSecret secret, int maxSealedLength)
{
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _associatedData = Encoding.ASCII.GetBytes(secret.Purpose + "/v1");

    public StoredSecret Secret => secret;

    public async Task<string> SealAsync(byte[] plain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var key = await secret.GetAsync(cancellationToken).ConfigureAwait(false);
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes), _associatedData);
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The plain bytes when <paramref name="sealedText"/> is intact; null when it is empty, too long, malformed or forged.</summary>
    public async Task<byte[]?> OpenAsync(string? sealedText, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sealedText) || sealedText.Length > maxSealedLength || !Base64Url.IsValid(sealedText))
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(sealedText.Length)];
        if (!Base64Url.TryDecodeFromChars(sealedText, bytes, out var length) || length <= 1 + NonceBytes + TagBytes || bytes[0] != Version)
        {
            return null;
        }

        var key = await secret.GetAsync(cancellationToken).ConfigureAwait(false);
        var plain = new byte[length - 1 - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(bytes.AsSpan(1, NonceBytes), bytes.AsSpan(1 + NonceBytes + TagBytes, plain.Length),
                bytes.AsSpan(1 + NonceBytes, TagBytes), plain, _associatedData);
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
