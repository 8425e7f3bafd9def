using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Signing;

/// <summary>Requests signed by AWSSDK.Core's AWS4Signer / AWS4PreSignedUrlSigner verify, and reach the right principal.</summary>
public sealed class SigV4SdkRoundTripTests
{
    private FakeTimeProvider _time = null!;
    private SigV4Verifier _verifier = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(SdkSigner.SignedAt).AddMinutes(1));
        _verifier = new SigV4Verifier(_time);
    }

    [Test]
    public async Task Cognito_json_post_with_signed_target_verifies_as_admin()
    {
        var request = SdkSigner.CognitoJson("ListIdentityPools", """{"MaxResults":10}""");
        var admin = new StaticPrincipalSource([new AccessKey(SdkSigner.AccessKeyId, SdkSigner.Secret)], "123456789012");

        var result = await _verifier.VerifyAsync(request, admin, CancellationToken.None);

        Assert.That(result.Failure, Is.Null, result.Message);
        Assert.That(request.Header("Authorization"), Does.Contain("x-amz-target").And.Contain("/cognito-identity/aws4_request"));
        Assert.That(result.Principal, Is.EqualTo(new SigningPrincipal(SdkSigner.AccessKeyId, SdkSigner.Secret, "arn:aws:iam::123456789012:root", "123456789012", true)));
    }

    [Test]
    public async Task Iam_query_form_post_verifies()
    {
        var request = SdkSigner.QueryForm("iam", "Action=ListOpenIDConnectProviders&Version=2010-05-08");

        var result = await _verifier.VerifyAsync(request, new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret), CancellationToken.None);

        Assert.That(result.Failure, Is.Null, result.Message);
        Assert.That(request.Header("Authorization"), Does.Contain("/iam/aws4_request"));
    }

    [Test]
    public async Task Temporary_credentials_with_session_token_verify_and_the_token_reaches_the_source()
    {
        var request = SdkSigner.QueryForm("sts", "Action=GetCallerIdentity&Version=2011-06-15", sessionToken: "FwoGZXIvYXdzEXAMPLE+token/==");
        var principals = new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret, "FwoGZXIvYXdzEXAMPLE+token/==");

        var result = await _verifier.VerifyAsync(request, principals, CancellationToken.None);

        Assert.That(result.Failure, Is.Null, result.Message);
        Assert.That(principals.Lookups.Single().SessionToken, Is.EqualTo("FwoGZXIvYXdzEXAMPLE+token/=="));
    }

    [Test]
    public async Task Session_token_request_is_not_an_admin_request()
    {
        var request = SdkSigner.QueryForm("sts", "Action=GetCallerIdentity&Version=2011-06-15", sessionToken: "token");
        var admin = new StaticPrincipalSource([new AccessKey(SdkSigner.AccessKeyId, SdkSigner.Secret)], "123456789012");

        var result = await _verifier.VerifyAsync(request, admin, CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.UnknownAccessKey));
    }

    [Test]
    public async Task Presigned_url_verifies_within_its_expiry()
    {
        var request = SdkSigner.PresignedGetCallerIdentity(expiresSeconds: 3600);
        _time.Advance(TimeSpan.FromMinutes(50)); // beyond the 15-minute skew, inside X-Amz-Expires

        var result = await _verifier.VerifyAsync(request, new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret), CancellationToken.None);

        Assert.That(result.Failure, Is.Null, result.Message);
    }

    [Test]
    public async Task Presigned_url_after_its_expiry_is_expired()
    {
        var request = SdkSigner.PresignedGetCallerIdentity(expiresSeconds: 300);
        _time.Advance(TimeSpan.FromMinutes(5)); // signed at T, now T + 6 min > T + 300 s

        var result = await _verifier.VerifyAsync(request, new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Expired));
    }

    [Test]
    public async Task Presigned_url_with_a_changed_parameter_does_not_match()
    {
        var request = SdkSigner.PresignedGetCallerIdentity(expiresSeconds: 3600);
        request = request with { QueryString = request.QueryString.Replace("GetCallerIdentity", "GetSessionToken", StringComparison.Ordinal) };

        var result = await _verifier.VerifyAsync(request, new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Repeated_verification_uses_the_cached_signing_key_and_still_verifies()
    {
        var principals = new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret);
        for (var i = 0; i < 3; i++)
        {
            var result = await _verifier.VerifyAsync(SdkSigner.CognitoJson("DescribeIdentityPool", $$"""{"IdentityPoolId":"us-east-1:{{i}}"}"""), principals, CancellationToken.None);
            Assert.That(result.Failure, Is.Null, result.Message);
        }
    }
}
