using System.Globalization;

namespace IdentityBroker.Protocol.Signing;

/// <summary>The parse outcome: the parameters, or the refusal to return as is.</summary>
internal readonly record struct SigV4ParseResult(SigV4Parameters? Parameters, SignatureVerification? Failure)
{
    public static SigV4ParseResult Fail(SignatureFailure failure, string message) => new(null, new SignatureVerification(null, failure, message));
}

/// <summary>
/// Reads the SigV4 inputs from the Authorization header (<c>AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c>)
/// or from a presigned query string (<c>X-Amz-Algorithm</c>, <c>X-Amz-Credential</c>, ...). Never throws on malformed input.
/// </summary>
internal static class SigV4Parser
{
    public const string SignatureParameter = "X-Amz-Signature";
    private const string AlgorithmParameter = "X-Amz-Algorithm";
    private const string CredentialParameter = "X-Amz-Credential";
    private const string DateParameter = "X-Amz-Date";
    private const string SignedHeadersParameter = "X-Amz-SignedHeaders";
    private const string SecurityTokenParameter = "X-Amz-Security-Token";
    private const string ExpiresParameter = "X-Amz-Expires";
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>SigV4 query signing caps a presigned URL at seven days.</summary>
    private const int MaxExpiresSeconds = 604_800;

    public static SigV4ParseResult Parse(SignedRequest request, IReadOnlyList<QueryParameter> query)
    {
        var authorization = request.Header("Authorization");
        var presigned = IsPresigned(query);
        if (!string.IsNullOrWhiteSpace(authorization))
        {
            return presigned
                ? SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.")
                : ParseHeader(request, authorization);
        }

        return presigned
            ? ParseQuery(request, query)
            : SigV4ParseResult.Fail(SignatureFailure.Missing, SignatureMessages.Missing);
    }

    public static string FormatAmzDate(DateTimeOffset time) => time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    private static bool IsPresigned(IReadOnlyList<QueryParameter> query)
    {
        foreach (var parameter in query)
        {
            if (parameter.Name is AlgorithmParameter or CredentialParameter or SignatureParameter)
            {
                return true;
            }
        }

        return false;
    }

    private static SigV4ParseResult ParseHeader(SignedRequest request, string authorization)
    {
        var value = authorization.AsSpan().Trim();
        if (!value.StartsWith(SigV4Parameters.Algorithm + " ", StringComparison.Ordinal))
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        var rest = value[(SigV4Parameters.Algorithm.Length + 1)..];
        foreach (var range in rest.Split(','))
        {
            var part = rest[range].Trim();
            var equals = part.IndexOf('=');
            var key = equals < 0 ? part : part[..equals];
            var text = equals < 0 ? null : part[(equals + 1)..].Trim().ToString();
            var known = key switch
            {
                "Credential" when credential is null => (credential = text) is not null,
                "SignedHeaders" when signedHeaders is null => (signedHeaders = text) is not null,
                "Signature" when signature is null => (signature = text) is not null,
                _ => false,
            };
            if (!known)
            {
                // Strict on purpose: an Authorization value is accepted in one spelling only (no empty, unknown or repeated parts).
                return SigV4ParseResult.Fail(SignatureFailure.Incomplete, $"'{Truncate(part.ToString())}' not a valid key=value pair{(equals < 0 ? " (missing equal-sign)" : string.Empty)} in Authorization header.");
            }
        }

        var missing = MissingParts(credential, signature, signedHeaders);
        if (missing is not null)
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, missing);
        }

        var amzDate = request.Header("X-Amz-Date");
        DateTimeOffset signedAt;
        if (amzDate is not null)
        {
            if (!TryParseAmzDate(amzDate.Trim(), out signedAt))
            {
                return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Date must be in ISO-8601 'basic format'. Got '" + Truncate(amzDate) + "'.");
            }
        }
        else if (!TryParseHttpDate(request.Header("Date"), out signedAt))
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var token = request.Header("X-Amz-Security-Token");
        return Complete(request, credential!, signedHeaders!, signature!, signedAt, token, expiresSeconds: null, isPresigned: false);
    }

    private static SigV4ParseResult ParseQuery(SignedRequest request, IReadOnlyList<QueryParameter> query)
    {
        string? algorithm = Find(query, AlgorithmParameter), credential = Find(query, CredentialParameter), date = Find(query, DateParameter),
            signedHeaders = Find(query, SignedHeadersParameter), signature = Find(query, SignatureParameter), expires = Find(query, ExpiresParameter);
        foreach (var (name, found) in new[] { (AlgorithmParameter, algorithm), (CredentialParameter, credential), (SignatureParameter, signature), (SignedHeadersParameter, signedHeaders), (DateParameter, date) })
        {
            if (string.IsNullOrEmpty(found))
            {
                return SigV4ParseResult.Fail(SignatureFailure.Incomplete, $"AWS query-string parameters must include '{name}'. Re-examine the query-string parameters.");
            }
        }

        if (algorithm != SigV4Parameters.Algorithm)
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Unsupported AWS 'algorithm': '" + Truncate(algorithm!) + "'.");
        }

        if (!TryParseAmzDate(date!, out var signedAt))
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Date must be in ISO-8601 'basic format'. Got '" + Truncate(date!) + "'.");
        }

        int? expiresSeconds = null;
        if (expires is not null)
        {
            if (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxExpiresSeconds)
            {
                return SigV4ParseResult.Fail(SignatureFailure.Incomplete, $"X-Amz-Expires must be a number of seconds between 1 and {MaxExpiresSeconds}.");
            }

            expiresSeconds = seconds;
        }

        return Complete(request, credential!, signedHeaders!, signature!, signedAt, Find(query, SecurityTokenParameter), expiresSeconds, isPresigned: true);
    }

    /// <summary>
    /// Checks the credential scope (<c>AKID/yyyyMMdd/region/service/aws4_request</c>), that host is signed, and that no
    /// x-amz-* header is left out of the signature.
    /// </summary>
    private static SigV4ParseResult Complete(SignedRequest request, string credential, string signedHeaders, string signature, DateTimeOffset signedAt, string? token, int? expiresSeconds, bool isPresigned)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[0].Length == 0 || parts[2].Length == 0 || parts[3].Length == 0)
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Credential should be scoped to a valid region, service and date: '<AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request'.");
        }

        if (parts[4] != SigV4Parameters.Terminator)
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "Credential should be scoped with a valid terminator: 'aws4_request', not '" + Truncate(parts[4]) + "'.");
        }

        if (!IsSignedHeaderList(signedHeaders))
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "SignedHeaders must be a ';'-separated list of header names.");
        }

        if (!SignedHeaderRules.Signs(signedHeaders, "host"))
        {
            return SigV4ParseResult.Fail(SignatureFailure.Incomplete, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var unsigned = SignedHeaderRules.FirstUnsignedAmzHeader(request, signedHeaders, isPresigned);
        if (unsigned is not null)
        {
            // The AWS front end's wording for a header its rules require in SignedHeaders; a signature refusal, not a format one.
            return SigV4ParseResult.Fail(SignatureFailure.Mismatch, $"'{Truncate(unsigned)}' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var amzDate = FormatAmzDate(signedAt);
        if (!parts[1].AsSpan().SequenceEqual(amzDate.AsSpan(0, 8)))
        {
            // AWS answers a scope date that is not the request date with a signature mismatch, not a format error.
            return SigV4ParseResult.Fail(SignatureFailure.Mismatch,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{Truncate(parts[1])}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        var sessionToken = string.IsNullOrEmpty(token) ? null : token;
        return new SigV4ParseResult(
            new SigV4Parameters(parts[0], parts[1], parts[2], parts[3], signedHeaders, signature, amzDate, signedAt, sessionToken, expiresSeconds, isPresigned),
            null);
    }

    private static string? MissingParts(string? credential, string? signature, string? signedHeaders)
    {
        var message = (credential is null or "" ? "Authorization header requires 'Credential' parameter. " : string.Empty)
            + (signature is null or "" ? "Authorization header requires 'Signature' parameter. " : string.Empty)
            + (signedHeaders is null or "" ? "Authorization header requires 'SignedHeaders' parameter. " : string.Empty);
        return message.Length == 0 ? null : message.TrimEnd();
    }

    private static bool IsSignedHeaderList(string signedHeaders)
    {
        foreach (var range in signedHeaders.AsSpan().Split(';'))
        {
            if (range.End.Value == range.Start.Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An RFC 1123 Date header. The weekday is not checked: it carries no information, and AWS's own test suite signs
    /// "Mon, 09 Sep 2011" (a Friday), which .NET's "r" format would refuse.
    /// </summary>
    private static bool TryParseHttpDate(string? value, out DateTimeOffset time)
    {
        var text = value.AsSpan().Trim();
        var comma = text.IndexOf(',');
        return DateTimeOffset.TryParseExact(text[(comma + 1)..].Trim(), "dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static bool TryParseAmzDate(string value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static string? Find(IReadOnlyList<QueryParameter> query, string name)
    {
        foreach (var parameter in query)
        {
            if (parameter.Name == name)
            {
                return SigV4Encoding.Decode(parameter.RawValue);
            }
        }

        return null;
    }

    /// <summary>Echoed fragments are short so that a hostile header cannot inflate the error reply.</summary>
    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];
}
