using System.Buffers;
using System.Text;

namespace IdentityBroker.Protocol.Signing;

/// <summary>RFC 3986 percent-encoding as SigV4 needs it: every byte except A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case hex).</summary>
internal static class SigV4Encoding
{
    private const string HexUpper = "0123456789ABCDEF";

    public static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    /// <summary>Encodes the UTF-8 bytes of <paramref name="raw"/> as they are ('%' becomes %25): the second encoding of non-S3 paths.</summary>
    public static void AppendEncoded(StringBuilder builder, ReadOnlySpan<char> raw)
    {
        var bytes = Utf8(raw, out var rented);
        try
        {
            AppendEncodedBytes(builder, bytes);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>Decodes a form/query component (%XX escapes, '+' as space), then encodes it canonically.</summary>
    public static string Canonicalize(ReadOnlySpan<char> rawComponent)
    {
        var bytes = Utf8(rawComponent, out var rented);
        try
        {
            var decoded = bytes[..DecodeInPlace(bytes)];
            var builder = new StringBuilder(decoded.Length + 8);
            AppendEncodedBytes(builder, decoded);
            return builder.ToString();
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>Decodes a query component to text (for reading X-Amz-* presigned parameters).</summary>
    public static string Decode(ReadOnlySpan<char> rawComponent)
    {
        var bytes = Utf8(rawComponent, out var rented);
        try
        {
            return Encoding.UTF8.GetString(bytes[..DecodeInPlace(bytes)]);
        }
        finally
        {
            Return(rented);
        }
    }

    private static void AppendEncodedBytes(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }
    }

    /// <summary>Percent-decodes in place; a '%' not followed by two hex digits stays literal (no exception on bad input).</summary>
    private static int DecodeInPlace(Span<byte> bytes)
    {
        var write = 0;
        for (var read = 0; read < bytes.Length; read++)
        {
            var b = bytes[read];
            if (b == (byte)'%' && read + 2 < bytes.Length
                && HexValue(bytes[read + 1]) is var hi and >= 0 && HexValue(bytes[read + 2]) is var lo and >= 0)
            {
                bytes[write++] = (byte)((hi << 4) | lo);
                read += 2;
            }
            else
            {
                bytes[write++] = b == (byte)'+' ? (byte)' ' : b;
            }
        }

        return write;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static Span<byte> Utf8(ReadOnlySpan<char> text, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, rented);
        return rented.AsSpan(0, length);
    }

    private static void Return(byte[] rented) => ArrayPool<byte>.Shared.Return(rented);
}
