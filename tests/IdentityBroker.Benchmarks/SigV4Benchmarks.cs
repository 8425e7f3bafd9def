using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Benchmarks;

/// <summary>SigV4 verification of a signed Cognito JSON call (an admin operation), with the signing-key cache warm.</summary>
[MemoryDiagnoser]
public class SigV4Benchmarks
{
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private readonly Principals _principals = new(new SigningPrincipal(AccessKeyId, Secret, "arn:aws:iam::000000000000:root", "000000000000", IsAdmin: true));
    private SigV4Verifier _verifier = null!;
    private SignedRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _verifier = new SigV4Verifier(new FixedTime(SignedAt.AddMinutes(1)));
        _request = Sign(Encoding.UTF8.GetBytes("""{"IdentityPoolId":"us-east-1:00000000-0000-0000-0000-000000000001","MaxResults":10}"""));
        if (!Verify().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The benchmark request does not verify.");
        }
    }

    [Benchmark]
    public async Task<bool> Verify() => (await _verifier.VerifyAsync(_request, _principals, CancellationToken.None)).Principal is not null;

    /// <summary>
    /// Signs with the published algorithm (AWS General Reference, "Signature Version 4 signing process"), written out here
    /// so the benchmark has no dependency on the SDK; the unit tests check the verifier against AWSSDK.Core's signer.
    /// </summary>
    private static SignedRequest Sign(byte[] body)
    {
        var amzDate = SignedAt.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        const string target = "AWSCognitoIdentityService.ListIdentities";
        var canonical = string.Join('\n',
            "POST", "/", string.Empty,
            "content-type:application/x-amz-json-1.1", "host:127.0.0.1:5080", $"x-amz-date:{amzDate}", $"x-amz-target:{target}", string.Empty,
            "content-type;host;x-amz-date;x-amz-target", payloadHash);
        var scope = $"{date}/us-east-1/cognito-identity/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + Secret);
        foreach (var part in new[] { date, "us-east-1", "cognito-identity", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        List<KeyValuePair<string, string>> headers =
        [
            new("Host", "127.0.0.1:5080"),
            new("Content-Type", "application/x-amz-json-1.1"),
            new("X-Amz-Date", amzDate),
            new("X-Amz-Target", target),
            new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Authorization", $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/{scope}, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={signature}"),
        ];
        return new SignedRequest("POST", "/", string.Empty, headers, body);
    }

    private sealed class Principals(SigningPrincipal principal) : ISigningPrincipalSource
    {
        public ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken) =>
            ValueTask.FromResult<SigningPrincipal?>(accessKeyId == principal.AccessKeyId && sessionToken is null ? principal : null);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
