using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.Tests.Signing;

/// <summary>
/// A SigV4 signer written out step by step in the test project, for requests that the SDKs never build: a signature over
/// a chosen header list (e.g. only host;x-amz-date), or a presigned URL that signs only host. It shares no code with the
/// broker's verifier, so a request it signs is one a real attacker could hold.
/// </summary>
internal static class HandSigner
{
    public const string Region = "us-east-1";

    /// <summary>The Authorization header value signing exactly <paramref name="signedHeaders"/> (lower-case names, sorted by the caller).</summary>
    public static string Authorization(
        string accessKeyId, string secret, DateTimeOffset at, string service, string method, string query,
        IReadOnlyList<(string Name, string Value)> signedHeaders, byte[] body)
    {
        var names = string.Join(';', signedHeaders.Select(h => h.Name));
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => $"{h.Name}:{h.Value.Trim()}\n"));
        var canonical = $"{method}\n/\n{query}\n{canonicalHeaders}\n{names}\n{Hex(SHA256.HashData(body))}";
        return $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{Scope(at, service)}, SignedHeaders={names}, Signature={Sign(secret, at, service, canonical)}";
    }

    /// <summary>A presigned query string (X-Amz-SignedHeaders=host, payload hash of the body) for a request to <paramref name="host"/>.</summary>
    public static string PresignedQuery(string accessKeyId, string secret, DateTimeOffset at, string service, int expiresSeconds, string method, string host, byte[] body)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = $"{accessKeyId}/{Scope(at, service)}",
            ["X-Amz-Date"] = AmzDate(at),
            ["X-Amz-Expires"] = expiresSeconds.ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var canonical = $"{method}\n/\n{query}\nhost:{host}\n\nhost\n{Hex(SHA256.HashData(body))}";
        return $"{query}&X-Amz-Signature={Sign(secret, at, service, canonical)}";
    }

    public static string AmzDate(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Scope(DateTimeOffset at, string service) => $"{AmzDate(at)[..8]}/{Region}/{service}/aws4_request";

    private static string Sign(string secret, DateTimeOffset at, string service, string canonical)
    {
        var stringToSign = $"AWS4-HMAC-SHA256\n{AmzDate(at)}\n{Scope(at, service)}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { AmzDate(at)[..8], Region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
