using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// Verifies AWS Signature Version 4 on an incoming request, signed in the Authorization header or as a presigned URL.
/// Any region and service in the credential scope are accepted (clients sign for cognito-identity, iam or sts).
/// Order of checks: form of the signature → request time → caller's key → signature, so that the cheap refusals
/// come first and the key store is only asked about well-formed, current requests.
/// </summary>
public sealed class SigV4Verifier(TimeProvider timeProvider)
{
    /// <summary>AWS refuses a request whose time is more than 15 minutes from its own clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    private readonly SigningKeyCache _keys = new();

    /// <summary>
    /// Reused per thread (only inside the synchronous part of a verification): with it, a typical signed call builds its
    /// canonical request and string to sign without allocating; the bytes to hash come from the array pool.
    /// </summary>
    [ThreadStatic]
    private static StringBuilder? t_canonical;

    public async ValueTask<SignatureVerification> VerifyAsync(SignedRequest request, ISigningPrincipalSource principals, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(principals);

        var query = QueryParameter.Parse(request.QueryString);
        var (parameters, failure) = SigV4Parser.Parse(request, query);
        if (parameters is null)
        {
            return failure!;
        }

        var expired = CheckTime(parameters);
        if (expired is not null)
        {
            return expired;
        }

        var principal = await principals.FindAsync(parameters.AccessKeyId, parameters.SessionToken, ct).ConfigureAwait(false);
        if (principal is null || !string.Equals(principal.AccessKeyId, parameters.AccessKeyId, StringComparison.Ordinal))
        {
            return Fail(SignatureFailure.UnknownAccessKey, SignatureMessages.UnknownAccessKey);
        }

        if (!SignatureMatches(request, query, parameters, principal.SecretAccessKey))
        {
            return Fail(SignatureFailure.Mismatch, SignatureMessages.Mismatch);
        }

        // Only after the signature: who cannot sign with the credentials learns nothing about their state.
        return principal.Expired
            ? Fail(SignatureFailure.ExpiredToken, SignatureMessages.ExpiredToken)
            : new SignatureVerification(principal, null, string.Empty);
    }

    /// <summary>The canonical request the verifier computes, for diagnostics and tests (never logged: it holds header values).</summary>
    internal static string CanonicalRequestFor(SignedRequest request)
    {
        var query = QueryParameter.Parse(request.QueryString);
        var parameters = SigV4Parser.Parse(request, query).Parameters
            ?? throw new ArgumentException("The request carries no well-formed SigV4 signature.", nameof(request));
        return CanonicalRequest.Build(request, query, parameters, PayloadHash(request) ?? request.Header("X-Amz-Content-Sha256")!.Trim());
    }

    private SignatureVerification? CheckTime(SigV4Parameters parameters)
    {
        var now = timeProvider.GetUtcNow();
        if (parameters.SignedAt > now + MaxClockSkew)
        {
            return Fail(SignatureFailure.Expired,
                $"Signature not yet current: {parameters.AmzDate} is still later than {SigV4Parser.FormatAmzDate(now + MaxClockSkew)} ({SigV4Parser.FormatAmzDate(now)} + 15 min.)");
        }

        if (parameters.ExpiresSeconds is { } seconds)
        {
            // A presigned URL is good from X-Amz-Date until X-Amz-Expires seconds later, not just for the skew window.
            return now > parameters.SignedAt.AddSeconds(seconds) ? Fail(SignatureFailure.Expired, "Request has expired.") : null;
        }

        return parameters.SignedAt < now - MaxClockSkew
            ? Fail(SignatureFailure.Expired,
                $"Signature expired: {parameters.AmzDate} is now earlier than {SigV4Parser.FormatAmzDate(now - MaxClockSkew)} ({SigV4Parser.FormatAmzDate(now)} - 15 min.)")
            : null;
    }

    private bool SignatureMatches(SignedRequest request, IReadOnlyList<QueryParameter> query, SigV4Parameters parameters, string secret)
    {
        Span<byte> provided = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!TryParseHex(parameters.Signature, provided))
        {
            return false;
        }

        var payloadHash = PayloadHash(request);
        if (payloadHash is null)
        {
            return false;
        }

        var canonical = t_canonical ??= new StringBuilder(512);
        canonical.Clear();
        CanonicalRequest.Write(canonical, request, query, parameters, payloadHash);
        Span<char> canonicalHash = stackalloc char[64];
        CanonicalRequest.HashHex(canonical, canonicalHash);

        // String to sign: algorithm, request time, credential scope, hex hash of the canonical request.
        canonical.Clear();
        canonical.Append(SigV4Parameters.Algorithm).Append('\n')
            .Append(parameters.AmzDate).Append('\n')
            .Append(parameters.ScopeDate).Append('/').Append(parameters.Region).Append('/').Append(parameters.Service).Append('/').Append(SigV4Parameters.Terminator).Append('\n')
            .Append(canonicalHash);
        var key = _keys.Get(secret, parameters.ScopeDate, parameters.Region, parameters.Service);
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        CanonicalRequest.Hmac(key, canonical, expected);
        if (canonical.Capacity > 16 * 1024)
        {
            t_canonical = null; // do not keep a huge buffer alive on this thread after an oversized request
        }

        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    /// <summary>
    /// x-amz-content-sha256 when sent, else the hex SHA-256 of the body. A sent hash must be the body's hash: the broker's
    /// APIs act on the body, so UNSIGNED-PAYLOAD or a stale hash would let a captured request carry another body.
    /// Null when the sent hash does not match.
    /// </summary>
    private static string? PayloadHash(SignedRequest request)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(request.Body.Span, hash);
        Span<char> hex = stackalloc char[64];
        CanonicalRequest.ToLowerHex(hash, hex);
        var sent = request.Header("X-Amz-Content-Sha256")?.Trim();
        if (sent is null)
        {
            return hex.ToString();
        }

        return sent.AsSpan().Equals(hex, StringComparison.OrdinalIgnoreCase) ? sent : null;
    }

    /// <summary>Lower-case hex only, as SigV4 writes it: one spelling per signature.</summary>
    private static bool TryParseHex(string text, Span<byte> destination) =>
        text.Length == destination.Length * 2
        && !text.AsSpan().ContainsAnyInRange('A', 'F')
        && Convert.FromHexString(text, destination, out _, out var written) == System.Buffers.OperationStatus.Done
        && written == destination.Length;

    private static SignatureVerification Fail(SignatureFailure failure, string message) => new(null, failure, message);
}
