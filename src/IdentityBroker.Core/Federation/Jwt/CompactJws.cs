using System.Buffers.Text;
using System.Text.Json;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// A JWS in compact serialization (RFC 7515 §7.1), read strictly: exactly three parts, each unpadded base64url
/// (RFC 7515 §2), a header that is a JSON object with a string <c>alg</c> and an optional string <c>kid</c>, no
/// <c>enc</c> (a JWE), and a payload that is a JSON object (<see cref="JwtClaims"/>). The signature is not checked
/// here (<see cref="JwsVerifier"/>).
/// </summary>
internal sealed class CompactJws
{
    private CompactJws(string algorithm, string? keyId, bool hasCrit, int signingInputLength, byte[] signature, JwtClaims claims)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        HasCriticalHeader = hasCrit;
        SigningInputLength = signingInputLength;
        Signature = signature;
        Claims = claims;
    }

    public string Algorithm { get; }

    /// <summary>The header's kid; null when absent or empty.</summary>
    public string? KeyId { get; }

    /// <summary>RFC 7515 §4.1.11: the broker understands no extension, so any <c>crit</c> makes the token unacceptable.</summary>
    public bool HasCriticalHeader { get; }

    /// <summary>The length of <c>header.payload</c>, the signing input (RFC 7515 §5.2).</summary>
    public int SigningInputLength { get; }

    public byte[] Signature { get; }

    public JwtClaims Claims { get; }

    /// <summary>The parsed token, or null when it is not a well-formed compact JWS of at most <paramref name="maxLength"/> chars.</summary>
    public static CompactJws? Parse(string token, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0 || token.Length > maxLength)
        {
            return null;
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            return null; // Not exactly three parts (a JWE has five).
        }

        var header = Decode(token.AsSpan(0, first));
        var payload = Decode(token.AsSpan(first + 1, second - first - 1));
        var signature = Decode(token.AsSpan(second + 1));
        if (header is null || payload is null || signature is null || ReadHeader(header) is not { } parsed)
        {
            return null;
        }

        return JwtClaims.Parse(payload) is { } claims
            ? new CompactJws(parsed.Alg, parsed.Kid, parsed.Crit, second, signature, claims)
            : null;
    }

    /// <summary>Unpadded base64url only: no '=', no '+' or '/', no whitespace (which .NET's decoders would skip).</summary>
    private static byte[]? Decode(ReadOnlySpan<char> part)
    {
        if (part.Length % 4 == 1)
        {
            return null;
        }

        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return null;
            }
        }

        // OperationStatus rather than an exception: a tail with non-zero unused bits (a non-canonical encoding) is InvalidData.
        var bytes = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        var status = Base64Url.DecodeFromChars(part, bytes, out var consumed, out var written);
        return status == System.Buffers.OperationStatus.Done && consumed == part.Length ? bytes[..written] : null;
    }

    /// <summary>alg (a string), kid (a string when present), crit present; null for anything else, a repeated name included.</summary>
    private static (string Alg, string? Kid, bool Crit)? ReadHeader(byte[] header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? alg = null;
            string? kid = null;
            var crit = false;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name) || property.NameEquals("enc"))
                {
                    return null;
                }

                var isAlg = property.NameEquals("alg");
                if (isAlg || property.NameEquals("kid"))
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    if (isAlg)
                    {
                        alg = property.Value.GetString();
                    }
                    else
                    {
                        kid = property.Value.GetString();
                    }
                }

                crit |= property.NameEquals("crit");
            }

            return alg is null ? null : (alg, string.IsNullOrEmpty(kid) ? null : kid, crit);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
