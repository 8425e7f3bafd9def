using System.Text;

namespace IdentityBroker.Load.Mixed;

/// <summary>
/// The malformed 1% of the mixed run: each a way a request can be broken at the HTTP, protocol, encoding or signature
/// layer, applied to a well-formed request of the run (so every service's edge sees them).
/// </summary>
public static class MalformedRequests
{
    private const string JsonType = "application/x-amz-json-1.1";

    /// <summary>The malformations, by name; each turns a well-formed request into a broken one.</summary>
    public static readonly IReadOnlyList<(string Name, Func<MixedRequest, MixedRequest> Break)> All =
    [
        ("truncated body", r => r with { Body = r.Body[..(r.Body.Length / 2)] }),
        ("invalid UTF-8", r => r with { Body = [.. Encoding.UTF8.GetBytes("{\"IdentityPoolId\":\""), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")] }),
        ("JSON nested 10,000 deep", r => r with { Body = Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)) }),
        ("unknown operation", r => r with { Headers = With(r.Headers, "X-Amz-Target", "AWSCognitoIdentityService.StealEverything") }),
        ("no X-Amz-Target", r => r with { Headers = new Dictionary<string, string> { ["Content-Type"] = JsonType } }),
        ("wrong content type", r => r with { Headers = With(r.Headers, "Content-Type", "text/plain; charset=\"nonsense") }),
        ("random bytes", r => r with { Body = RandomBytes(r.Body.Length + 4096) }),
        ("body of 2 MB", r => r with { Body = Encoding.UTF8.GetBytes("{\"IdentityPoolId\":\"" + new string('a', 2 * 1024 * 1024) + "\"}") }),
        ("garbled Authorization", r => r with { SigningService = null, Headers = With(r.Headers, "Authorization", "AWS4-HMAC-SHA256 Credential=///, SignedHeaders=;;, Signature=zz") }),
        ("signature of another body", r => r with { SignedBody = r.Body, Body = [.. r.Body, (byte)' '] }),
        ("bad percent-encoding", r => r with { Body = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15&X=%zz%&%"), Headers = With(r.Headers, "Content-Type", "application/x-www-form-urlencoded") }),
        ("20,000 query parameters", r => r with { Body = Encoding.UTF8.GetBytes("Action=ListRoles&Version=2010-05-08" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"&Action=x{i}"))), Headers = With(r.Headers, "Content-Type", "application/x-www-form-urlencoded") }),
        ("numbers out of range", r => r with { Body = Encoding.UTF8.GetBytes("{\"IdentityPoolId\":1e999,\"MaxResults\":99999999999999999999999,\"Limit\":-1}") }),
        ("null where an object is expected", r => r with { Body = "null"u8.ToArray() }),
        ("bad X-Amz-Date", r => r with { Headers = With(r.Headers, "X-Amz-Date", "not-a-date") }),
        ("NUL in the path", r => r with { Path = "/%00/..%2f..%2fetc/passwd?Action=%00" }),
    ];

    /// <summary>The <paramref name="n"/>th malformation of <paramref name="request"/>.</summary>
    public static MixedRequest Break(MixedRequest request, int n)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, change) = All[n % All.Count];
        return change(request) with { Group = "malformed", Label = name + " (" + request.Group + " " + request.Label + ")" };
    }

    private static Dictionary<string, string> With(Dictionary<string, string> headers, string name, string value) =>
        new(headers, StringComparer.OrdinalIgnoreCase) { [name] = value };

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
