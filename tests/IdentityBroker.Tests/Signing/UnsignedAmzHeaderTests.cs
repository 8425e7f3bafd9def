using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Signing;

/// <summary>
/// Every x-amz-* header the request carries must be signed. One valid hand-signed request per form
/// (Authorization header signing host;x-amz-date;x-amz-target, presigned URL signing host); each test adds or leaves out one header.
/// </summary>
public sealed class UnsignedAmzHeaderTests
{
    private const string Host = "127.0.0.1:5080";
    private const string Describe = "AWSCognitoIdentityService.DescribeIdentityPool";
    private const string Delete = "AWSCognitoIdentityService.DeleteIdentityPool";
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"IdentityPoolId":"us-east-1:11111111-2222-3333-4444-555555555555"}""");

    private SigV4Verifier _verifier = null!;
    private TestPrincipals _principals = null!;

    [SetUp]
    public void SetUp()
    {
        _verifier = new SigV4Verifier(new FakeTimeProvider(At));
        _principals = new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret);
    }

    [Test]
    public async Task Header_signed_request_signing_its_target_verifies_without_signing_content_type()
    {
        var result = await Verify(HeaderSigned(signTarget: true).WithHeader("X-Amz-Target", Describe));

        Assert.That(result.IsValid, Is.True, result.Message);
    }

    [Test]
    public async Task Header_signed_request_with_an_unsigned_target_is_refused_naming_the_header()
    {
        var result = await Verify(HeaderSigned(signTarget: false).WithHeader("X-Amz-Target", Delete));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
        Assert.That(result.Message, Is.EqualTo("'x-amz-target' must be a 'SignedHeader' in the AWS Authorization."));
        Assert.That(_principals.Lookups, Is.Empty, "refused before the key store is asked");
    }

    [Test]
    public async Task Presigned_url_without_amz_headers_verifies()
    {
        Assert.That((await Verify(Presigned())).IsValid, Is.True);
    }

    [Test]
    public async Task Presigned_url_replayed_with_a_target_header_is_refused()
    {
        var result = await Verify(Presigned().WithHeader("X-Amz-Target", Delete));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
        Assert.That(result.Message, Is.EqualTo("'x-amz-target' must be a 'SignedHeader' in the AWS Authorization."));
    }

    [Test]
    public async Task Presigned_url_may_carry_the_body_hash_unsigned_as_aws_allows()
    {
        var request = Presigned().WithHeader("X-Amz-Content-Sha256", Convert.ToHexStringLower(SHA256.HashData(Body)));

        Assert.That((await Verify(request)).IsValid, Is.True);
    }

    [TestCase("X-Amz-Security-Token", "AQoDYXdzEPT")]
    [TestCase("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")]
    [TestCase("x-amz-meta-anything", "value")]
    [TestCase("X-AMZ-USER-AGENT", "aws-sdk-js/3")]
    public async Task Header_signed_request_with_another_unsigned_amz_header_is_refused(string name, string value)
    {
        var result = await Verify(HeaderSigned(signTarget: true).WithHeader("X-Amz-Target", Describe).WithHeader(name, value));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
        Assert.That(result.Message, Is.EqualTo($"'{name.ToLowerInvariant()}' must be a 'SignedHeader' in the AWS Authorization."));
    }

    [TestCase("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")]
    [TestCase("User-Agent", "aws-cli/2")]
    [TestCase("amz-sdk-invocation-id", "0b7b3b4e-1f2a-4a4b-9c1d-2e3f4a5b6c7d")]
    public async Task Headers_outside_the_amz_prefix_may_stay_unsigned(string name, string value)
    {
        var result = await Verify(HeaderSigned(signTarget: true).WithHeader("X-Amz-Target", Describe).WithHeader(name, value));

        Assert.That(result.IsValid, Is.True, result.Message);
    }

    [Test]
    public async Task Sdk_signed_json_and_query_requests_still_verify()
    {
        var principals = new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret).Add(SdkSigner.AccessKeyId, SdkSigner.Secret, "session-token");
        var verifier = new SigV4Verifier(new FakeTimeProvider(new DateTimeOffset(SdkSigner.SignedAt)));
        SignedRequest[] requests =
        [
            SdkSigner.CognitoJson("DescribeIdentityPool", Encoding.UTF8.GetString(Body)),
            SdkSigner.CognitoJson("DescribeIdentityPool", Encoding.UTF8.GetString(Body), sessionToken: "session-token"),
            SdkSigner.QueryForm("iam", "Action=ListRoles&Version=2010-05-08", sessionToken: "session-token"),
            SdkSigner.PresignedGetCallerIdentity(900),
        ];

        foreach (var request in requests)
        {
            var result = await verifier.VerifyAsync(request, principals, CancellationToken.None);
            Assert.That(result.IsValid, Is.True, result.Message);
        }
    }

    /// <summary>Signed over host;x-amz-date (and x-amz-target when asked, with <see cref="Describe"/>); Content-Type sent, not signed.</summary>
    private static SignedRequest HeaderSigned(bool signTarget)
    {
        var date = HandSigner.AmzDate(At);
        List<(string, string)> signed = signTarget
            ? [("host", Host), ("x-amz-date", date), ("x-amz-target", Describe)]
            : [("host", Host), ("x-amz-date", date)];
        var authorization = HandSigner.Authorization(SdkSigner.AccessKeyId, SdkSigner.Secret, At, "cognito-identity", "POST", string.Empty, signed, Body);
        return new SignedRequest("POST", "/", string.Empty,
            [new("Host", Host), new("X-Amz-Date", date), new("Content-Type", "application/x-amz-json-1.1"), new("Authorization", authorization)], Body);
    }

    /// <summary>A seven-day presigned URL that signs only host, as the reviewer built it.</summary>
    private static SignedRequest Presigned()
    {
        var query = HandSigner.PresignedQuery(SdkSigner.AccessKeyId, SdkSigner.Secret, At, "cognito-identity", 604_800, "POST", Host, Body);
        return new SignedRequest("POST", "/", query, [new("Host", Host), new("Content-Type", "application/x-amz-json-1.1")], Body);
    }

    private ValueTask<SignatureVerification> Verify(SignedRequest request) => _verifier.VerifyAsync(request, _principals, CancellationToken.None);
}
