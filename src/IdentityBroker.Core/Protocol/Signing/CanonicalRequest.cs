using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// The SigV4 canonical request (AWS General Reference, "Create a canonical request for Signature Version 4"):
/// method, canonical URI, canonical query string, canonical headers, signed headers, payload hash — one per line.
/// </summary>
internal static class CanonicalRequest
{
    public static string Build(SignedRequest request, IReadOnlyList<QueryParameter> query, SigV4Parameters parameters, string payloadHash)
    {
        var builder = new StringBuilder(256);
        Write(builder, request, query, parameters, payloadHash);
        return builder.ToString();
    }

    public static void Write(StringBuilder builder, SignedRequest request, IReadOnlyList<QueryParameter> query, SigV4Parameters parameters, string payloadHash)
    {
        builder.Append(request.Method).Append('\n');
        WriteUri(builder, request.Path);
        builder.Append('\n');
        WriteQuery(builder, query, parameters.IsPresigned);
        builder.Append('\n');
        WriteHeaders(builder, request, parameters.SignedHeaders);
        builder.Append('\n');
        builder.Append(parameters.SignedHeaders).Append('\n');
        builder.Append(payloadHash);
    }

    /// <summary>Hex SHA-256 of the UTF-8 text, without materialising it as a string.</summary>
    public static void HashHex(StringBuilder text, Span<char> hex64)
    {
        var length = RentUtf8(text, out var bytes);
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            ToLowerHex(hash, hex64);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>HMAC-SHA256 of the UTF-8 text under <paramref name="key"/>, without materialising it as a string.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, StringBuilder text, Span<byte> destination)
    {
        var length = RentUtf8(text, out var bytes);
        try
        {
            HMACSHA256.HashData(key, bytes.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The UTF-8 bytes of the builder in a pooled array (chunk by chunk, so a surrogate pair split across chunks survives).</summary>
    private static int RentUtf8(StringBuilder text, out byte[] bytes)
    {
        bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        var chunks = text.GetChunks();
        if (chunks.MoveNext() && chunks.Current.Length == text.Length)
        {
            return Encoding.UTF8.GetBytes(chunks.Current.Span, bytes); // the usual case: a cleared, reused builder is one chunk
        }

        var encoder = Encoding.UTF8.GetEncoder();
        var written = 0;
        foreach (var chunk in text.GetChunks())
        {
            written += encoder.GetBytes(chunk.Span, bytes.AsSpan(written), flush: false);
        }

        written += encoder.GetBytes([], bytes.AsSpan(written), flush: true);
        return written;
    }

    public static void ToLowerHex(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        const string Hex = "0123456789abcdef";
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = Hex[bytes[i] >> 4];
            destination[(2 * i) + 1] = Hex[bytes[i] & 0xF];
        }
    }

    /// <summary>
    /// Non-S3 services: remove dot segments and empty segments, then URI-encode each segment of the path as received
    /// (so an escape such as %20 is encoded again to %2520) — what botocore and the JS v3 signer do.
    /// </summary>
    private static void WriteUri(StringBuilder builder, string rawPath)
    {
        if (rawPath is "" or "/")
        {
            builder.Append('/');
            return;
        }

        var segments = new List<Range>();
        var path = rawPath.AsSpan();
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment is ".")
            {
                continue;
            }

            if (segment is "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(range);
        }

        builder.Append('/');
        for (var i = 0; i < segments.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            SigV4Encoding.AppendEncoded(builder, path[segments[i]]);
        }

        if (segments.Count > 0 && rawPath.EndsWith('/'))
        {
            builder.Append('/');
        }
    }

    /// <summary>Each name and value decoded then RFC 3986-encoded, sorted by encoded name then value; a presigned URL's own signature is left out.</summary>
    private static void WriteQuery(StringBuilder builder, IReadOnlyList<QueryParameter> query, bool isPresigned)
    {
        if (query.Count == 0)
        {
            return;
        }

        var pairs = new List<(string Name, string Value)>(query.Count);
        foreach (var parameter in query)
        {
            if (isPresigned && parameter.Name == SigV4Parser.SignatureParameter)
            {
                continue;
            }

            pairs.Add((SigV4Encoding.Canonicalize(parameter.RawName), SigV4Encoding.Canonicalize(parameter.RawValue)));
        }

        pairs.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(pairs[i].Name).Append('=').Append(pairs[i].Value);
        }
    }

    /// <summary>One <c>name:value</c> line per signed header, in the signed-header order; repeated headers joined with commas.</summary>
    private static void WriteHeaders(StringBuilder builder, SignedRequest request, string signedHeaders)
    {
        var names = signedHeaders.AsSpan();
        foreach (var range in names.Split(';'))
        {
            var name = names[range];
            foreach (var ch in name)
            {
                builder.Append(char.ToLowerInvariant(ch));
            }

            builder.Append(':');
            var first = true;
            foreach (var (key, value) in request.Headers)
            {
                if (!name.Equals(key, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!first)
                {
                    builder.Append(',');
                }

                AppendTrimmedCollapsed(builder, value);
                first = false;
            }

            builder.Append('\n');
        }
    }

    /// <summary>Trims the value and turns each run of whitespace into one space.</summary>
    private static void AppendTrimmedCollapsed(StringBuilder builder, string? value)
    {
        var text = value.AsSpan().Trim();
        var inSpace = false;
        foreach (var ch in text)
        {
            if (ch is ' ' or '\t' or '\r' or '\n')
            {
                inSpace = true;
                continue;
            }

            if (inSpace)
            {
                builder.Append(' ');
                inSpace = false;
            }

            builder.Append(ch);
        }
    }
}
