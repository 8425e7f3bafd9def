namespace IdentityBroker.Protocol.Signing;

/// <summary>The signature inputs a request carries, read from its Authorization header or its presigned query string.</summary>
/// <param name="SignedHeaders">The signed-header list exactly as sent; it goes verbatim into the canonical request.</param>
/// <param name="Signature">The hex signature as sent.</param>
/// <param name="AmzDate">The request time in ISO 8601 basic form (<c>20150830T123600Z</c>), as it enters the string to sign.</param>
/// <param name="ExpiresSeconds">X-Amz-Expires of a presigned URL, or null.</param>
internal sealed record SigV4Parameters(
    string AccessKeyId,
    string ScopeDate,
    string Region,
    string Service,
    string SignedHeaders,
    string Signature,
    string AmzDate,
    DateTimeOffset SignedAt,
    string? SessionToken,
    int? ExpiresSeconds,
    bool IsPresigned)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public const string Terminator = "aws4_request";

    public string Scope => $"{ScopeDate}/{Region}/{Service}/{Terminator}";
}

/// <summary>One query-string parameter: its decoded name (to recognise X-Amz-*) and its raw parts (to canonicalize).</summary>
internal readonly record struct QueryParameter(string Name, string RawName, string RawValue)
{
    public static IReadOnlyList<QueryParameter> Parse(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return [];
        }

        var query = rawQuery.AsSpan(rawQuery[0] == '?' ? 1 : 0);
        var parameters = new List<QueryParameter>();
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var rawName = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            parameters.Add(new QueryParameter(SigV4Encoding.Decode(rawName), rawName.ToString(), rawValue.ToString()));
        }

        return parameters;
    }
}
