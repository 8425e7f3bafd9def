using System.Text;

namespace IdentityBroker.Audit;

/// <summary>
/// What a call's CloudTrail record says beyond the columns LookupEvents filters on: the stores keep these facts in a compact
/// binary form (<see cref="AuditFactsCodec"/>) and the record's JSON is written from them when it is read
/// (<see cref="AuditEventBuilder.Render"/>). Why: the JSON repeats the same names and constants in every record, and the store
/// paid for every byte of it on the hot path (docs/audit.md, "Storage"). No token, secret, password or code: the request
/// parameters are already redacted.
/// </summary>
/// <param name="RequestParameters">CloudTrail's requestParameters as JSON text (UTF-8), already redacted; null when none.</param>
/// <param name="Decision">The decision as <c>DecisionJson</c> wrote it (UTF-8 JSON); null when the call made none.</param>
public sealed record AuditFacts(
    string Region,
    string AccountId,
    string? SourceIp,
    string? UserAgent,
    string RequestId,
    string? CallerArn,
    string? CallerUserId,
    string? ErrorCode,
    string? ErrorMessage,
    byte[]? RequestParameters,
    string? ResponseIdentityId,
    string? IssuedAccessKeyId,
    DateTimeOffset? IssuedExpiration,
    string? IdentityPoolId,
    string? IdentityId,
    byte[]? Decision);

/// <summary>
/// The stored form of <see cref="AuditFacts"/>: a format byte, then each member in a fixed order as a 7-bit-encoded
/// length plus one (0 for null) and its UTF-8 bytes; the expiration as its UTC ticks plus one (0 for none).
/// </summary>
public static class AuditFactsCodec
{
    public const byte Format = 1;

    public static byte[] Encode(AuditFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var size = 1 + Size(facts.Region) + Size(facts.AccountId) + Size(facts.SourceIp) + Size(facts.UserAgent) + Size(facts.RequestId)
            + Size(facts.CallerArn) + Size(facts.CallerUserId) + Size(facts.ErrorCode) + Size(facts.ErrorMessage)
            + Size(facts.RequestParameters) + Size(facts.ResponseIdentityId) + Size(facts.IssuedAccessKeyId) + 10
            + Size(facts.IdentityPoolId) + Size(facts.IdentityId) + Size(facts.Decision);
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = Format;
        var at = 1;
        Put(span, ref at, facts.Region);
        Put(span, ref at, facts.AccountId);
        Put(span, ref at, facts.SourceIp);
        Put(span, ref at, facts.UserAgent);
        Put(span, ref at, facts.RequestId);
        Put(span, ref at, facts.CallerArn);
        Put(span, ref at, facts.CallerUserId);
        Put(span, ref at, facts.ErrorCode);
        Put(span, ref at, facts.ErrorMessage);
        Put(span, ref at, facts.RequestParameters);
        Put(span, ref at, facts.ResponseIdentityId);
        Put(span, ref at, facts.IssuedAccessKeyId);
        PutNumber(span, ref at, facts.IssuedExpiration is { } expiration ? (ulong)expiration.UtcTicks + 1 : 0);
        Put(span, ref at, facts.IdentityPoolId);
        Put(span, ref at, facts.IdentityId);
        Put(span, ref at, facts.Decision);
        return at == size ? buffer : buffer[..at];
    }

    /// <exception cref="InvalidDataException">The bytes are not facts of a known format.</exception>
    public static AuditFacts Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != Format)
        {
            throw new InvalidDataException("The stored audit facts have an unknown format.");
        }

        var at = 1;
        var region = Text(data, ref at) ?? string.Empty;
        var account = Text(data, ref at) ?? string.Empty;
        var sourceIp = Text(data, ref at);
        var userAgent = Text(data, ref at);
        var requestId = Text(data, ref at) ?? string.Empty;
        var callerArn = Text(data, ref at);
        var callerUserId = Text(data, ref at);
        var errorCode = Text(data, ref at);
        var errorMessage = Text(data, ref at);
        var parameters = Bytes(data, ref at);
        var responseIdentityId = Text(data, ref at);
        var issuedKey = Text(data, ref at);
        var expirationTicks = Number(data, ref at);
        DateTimeOffset? expiration = expirationTicks == 0 ? null : new DateTimeOffset((long)(expirationTicks - 1), TimeSpan.Zero);
        var poolId = Text(data, ref at);
        var identityId = Text(data, ref at);
        var decision = Bytes(data, ref at);
        return new AuditFacts(region, account, sourceIp, userAgent, requestId, callerArn, callerUserId, errorCode, errorMessage, parameters,
            responseIdentityId, issuedKey, expiration, poolId, identityId, decision);
    }

    private static int Size(string? value) => value is null ? 1 : 5 + Encoding.UTF8.GetByteCount(value);

    private static int Size(byte[]? value) => value is null ? 1 : 5 + value.Length;

    private static void Put(Span<byte> span, ref int at, string? value)
    {
        if (value is null)
        {
            span[at++] = 0;
            return;
        }

        // The length is only known after encoding: encode past a 5-byte gap, then move the bytes behind the real prefix.
        var written = Encoding.UTF8.GetBytes(value, span[(at + 5)..]);
        var prefix = at;
        PutNumber(span, ref at, (ulong)written + 1);
        if (at != prefix + 5)
        {
            span.Slice(prefix + 5, written).CopyTo(span[at..]);
        }

        at += written;
    }

    private static void Put(Span<byte> span, ref int at, byte[]? value)
    {
        if (value is null)
        {
            span[at++] = 0;
            return;
        }

        PutNumber(span, ref at, (ulong)value.Length + 1);
        value.CopyTo(span[at..]);
        at += value.Length;
    }

    private static void PutNumber(Span<byte> span, ref int at, ulong value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
    }

    private static ulong Number(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length)
            {
                break;
            }

            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("The stored audit facts are truncated.");
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, ref int at, out bool present)
    {
        var length = Number(data, ref at);
        present = length != 0;
        if (!present)
        {
            return default;
        }

        if (length - 1 > (ulong)(data.Length - at))
        {
            throw new InvalidDataException("The stored audit facts are truncated.");
        }

        var slice = data.Slice(at, (int)(length - 1));
        at += slice.Length;
        return slice;
    }

    private static string? Text(ReadOnlySpan<byte> data, ref int at)
    {
        var slice = Slice(data, ref at, out var present);
        return present ? Encoding.UTF8.GetString(slice) : null;
    }

    private static byte[]? Bytes(ReadOnlySpan<byte> data, ref int at)
    {
        var slice = Slice(data, ref at, out var present);
        return present ? slice.ToArray() : null;
    }
}
