using System.Text;

namespace IdentityBroker.Protocol.Query;

/// <summary>Decodes <c>application/x-www-form-urlencoded</c> text (form body or query string) into parameters.</summary>
public static class QueryParameters
{
    /// <summary>At most this many parameters are read; AWS Query requests of the supported actions need far fewer.</summary>
    public const int MaxParameters = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Dictionary<string, string>? TryParse(ReadOnlySpan<byte> body, string queryString)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        return Add(parameters, queryString) && AddBody(parameters, body) ? parameters : null;
    }

    private static bool Add(Dictionary<string, string> parameters, string text)
    {
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (parameters.Count >= MaxParameters)
            {
                return false;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            if (name is null || value is null)
            {
                return false;
            }

            parameters[name] = value;
        }

        return true;
    }

    /// <summary>
    /// The body pair by pair, straight from its bytes: a CreateSAMLProvider body may be 30 MB of percent-encoded metadata,
    /// and decoding it as one string first, then splitting and copying it, would hold several times that in memory.
    /// </summary>
    private static bool AddBody(Dictionary<string, string> parameters, ReadOnlySpan<byte> body)
    {
        foreach (var range in body.Split((byte)'&'))
        {
            var pair = body[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (parameters.Count >= MaxParameters)
            {
                return false;
            }

            var eq = pair.IndexOf((byte)'=');
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            if (name is null || value is null)
            {
                return false;
            }

            parameters[name] = value;
        }

        return true;
    }

    /// <summary>
    /// Percent-decodes the bytes ('+' is a space), then reads them as UTF-8. Bytes that are not UTF-8 once decoded take the
    /// text path, which keeps undecodable escapes as they were sent.
    /// </summary>
    private static string? Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IndexOfAny((byte)'%', (byte)'+') < 0 && System.Text.Unicode.Utf8.IsValid(encoded))
        {
            return Encoding.UTF8.GetString(encoded);
        }

        var decoded = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'%' && i + 2 < encoded.Length && TryHex(encoded[i + 1], encoded[i + 2], out var escaped))
            {
                decoded[length++] = escaped;
                i += 2;
            }
            else
            {
                decoded[length++] = b == '+' ? (byte)' ' : b;
            }
        }

        try
        {
            return StrictUtf8.GetString(decoded, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return Decode(Encoding.UTF8.GetString(encoded));
        }
    }

    private static bool TryHex(byte high, byte low, out byte value)
    {
        var h = HexValue(high);
        var l = HexValue(low);
        value = (byte)((h << 4) | l);
        return h >= 0 && l >= 0;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string? Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
