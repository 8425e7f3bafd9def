using IdentityBroker.Sts;
using IdentityBroker.Tokens;

namespace IdentityBroker.Tests.Sts;

/// <summary>
/// The in-process STS path for a token the broker signed in this process (<see cref="EmbeddedSts.AssumeRoleWithSignedTokenAsync"/>):
/// it skips only the re-reading and signature check of the token, so every refusal of the full path must come out of it too.
/// Each case breaks one thing and runs both paths: the full one with a signed JWS, the signed one with the same claims.
/// </summary>
public sealed class SignedTokenPathTests
{
    private const string TagSession = "tag-session";
    private const string AuthenticatedOnly = "authenticated-only";

    /// <summary>Text that is not a JWS at all: if the signed path read or verified it, every case would fail the same way.</summary>
    private const string NotAJws = "issued-in-this-process";

    public static IEnumerable<TestCaseData> Refusals()
    {
        yield return Case("expired (now = exp)", "ExpiredTokenException", c => c["exp"] = Now(c));
        yield return Case("issued in the future", "InvalidIdentityToken", c => c["iat"] = Now(c) + 3600);
        yield return Case("issuer is not the broker", "InvalidIdentityToken", c => c["iss"] = "https://evil.example.com");
        yield return Case("signing key not published under its kid", "InvalidIdentityToken", _ => { }, kid: "unknown");
        yield return Case("empty subject", "InvalidIdentityToken", c => c["sub"] = "");
        yield return Case("51 session tags", "InvalidIdentityToken", c => c["https://aws.amazon.com/tags"] = TagClaim(51), trust: TagSession);
        yield return Case("tag key outside the tag pattern", "InvalidIdentityToken", c => c["https://aws.amazon.com/tags"] = TagClaim(1, "bad#key"), trust: TagSession);
        yield return Case("session tags but no sts:TagSession in the trust policy", "AccessDenied", c => c["https://aws.amazon.com/tags"] = TagClaim(1));
        yield return Case("guest token for an authenticated-only role", "AccessDenied", c =>
        {
            c["aud"] = StsFixture.PoolId + ":unauthenticated";
            c["amr"] = new[] { "unauthenticated" };
        }, trust: AuthenticatedOnly);
        yield return Case("audience of another pool", "AccessDenied", c => c["aud"] = "us-east-1:99999999-2222-3333-4444-555555555555");
        yield return Case("role does not exist", "AccessDenied", _ => { }, roleArn: $"arn:aws:iam::{StsFixture.Account}:role/Missing");
        yield return Case("role of another account", "AccessDenied", _ => { }, roleArn: "arn:aws:iam::123456789012:role/Auth");
        yield return Case("duration over the role's maximum", "ValidationError", _ => { }, duration: 7200);
        yield return Case("malformed session policy", "MalformedPolicyDocument", _ => { }, policy: "{\"Statement\":");
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task The_signed_path_refuses_what_the_full_path_refuses(Mutation mutation, string expected)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        var f = new StsFixture();
        var role = await CreateRoleAsync(f, mutation.Trust);
        var claims = f.BrokerClaims();
        mutation.Claims(claims);
        var request = new WebIdentityRequest(
            mutation.RoleArn ?? role.Arn, "CognitoIdentityCredentials", "", mutation.Duration, mutation.Policy);
        var jws = f.Sign(claims, mutation.Kid == "unknown" ? StsFixture.OtherRsaKey : null);

        var full = await f.Sts.AssumeRoleWithWebIdentityAsync(request with { WebIdentityToken = jws }, CancellationToken.None);
        var signed = await f.Sts.AssumeRoleWithSignedTokenAsync(
            request with { WebIdentityToken = NotAJws }, Signed(claims, NotAJws, mutation.Kid), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(full.Error?.Type, Is.EqualTo(expected), "full path");
            Assert.That(signed.Error?.Type, Is.EqualTo(expected), "signed path");
            Assert.That(signed.Error?.Message, Is.EqualTo(full.Error?.Message));
        });
    }

    [Test]
    public async Task Valid_claims_get_the_same_session_as_the_full_path()
    {
        var f = new StsFixture();
        var role = await CreateRoleAsync(f, TagSession);
        var claims = f.BrokerClaims();
        claims["https://aws.amazon.com/tags"] = TagClaim(2);
        var request = new WebIdentityRequest(role.Arn, "CognitoIdentityCredentials", f.Sign(claims), null);

        var full = await f.Sts.AssumeRoleWithWebIdentityAsync(request, CancellationToken.None);
        var signed = await f.Sts.AssumeRoleWithSignedTokenAsync(request with { WebIdentityToken = NotAJws }, Signed(claims, NotAJws), CancellationToken.None);

        Assert.That(signed.Error, Is.Null);
        var session = await f.Principals.FindAsync(signed.Value.Credentials.AccessKeyId, signed.Value.Credentials.SessionToken, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(signed.Value with { Credentials = full.Value.Credentials }, Is.EqualTo(full.Value));
            Assert.That(session!.SecretAccessKey, Is.EqualTo(signed.Value.Credentials.SecretAccessKey));
        });
    }

    [Test]
    public async Task A_request_that_does_not_carry_the_signed_token_is_fully_verified()
    {
        var f = new StsFixture();
        var role = await CreateRoleAsync(f, "");
        var claims = f.BrokerClaims();
        var forged = f.Sign(claims, StsFixture.OtherRsaKey);
        var request = new WebIdentityRequest(role.Arn, "CognitoIdentityCredentials", forged, null);

        // Valid claims, but the token in the request is another text: its own (bad) signature decides.
        var result = await f.Sts.AssumeRoleWithSignedTokenAsync(request, Signed(claims, NotAJws), CancellationToken.None);

        Assert.That(result.Error?.Type, Is.EqualTo("InvalidIdentityToken"));
    }

    private static Task<IdentityBroker.Iam.IamRole> CreateRoleAsync(StsFixture f, string trust) => f.CreateRoleAsync("Auth", trust switch
    {
        TagSession => TrustPolicies.CognitoWithTagSession(),
        AuthenticatedOnly => TrustPolicies.Cognito(",\"ForAnyValue:StringLike\":{\"cognito-identity.amazonaws.com:amr\":\"authenticated\"}"),
        _ => TrustPolicies.Cognito(),
    });

    /// <summary>What OpenIdTokenIssuer would hand the minter for these claims.</summary>
    private static SignedBrokerToken Signed(Dictionary<string, object> claims, string token, string? kid = null) => new(
        token,
        (string)claims["iss"],
        kid ?? StsFixture.SharedBrokerKey.KeyId,
        (string)claims["sub"],
        (string)claims["aud"],
        (string[])claims["amr"],
        (long)claims["iat"],
        (long)claims["exp"],
        claims.TryGetValue("https://aws.amazon.com/tags", out var tags)
            ? ((Dictionary<string, object>)((Dictionary<string, object>)tags)["principal_tags"]).ToDictionary(t => t.Key, t => ((string[])t.Value)[0])
            : null);

    private static Dictionary<string, object> TagClaim(int count, string? firstKey = null) => new()
    {
        ["principal_tags"] = Enumerable.Range(0, count).ToDictionary(
            i => i == 0 && firstKey is not null ? firstKey : $"k{i}", i => (object)new[] { $"v{i}" }),
    };

    private static long Now(Dictionary<string, object> claims) => (long)claims["iat"] + 10;

    private static TestCaseData Case(
        string name, string expected, Action<Dictionary<string, object>> claims, string trust = "", string? kid = null,
        string? roleArn = null, int? duration = null, string? policy = null) =>
        new TestCaseData(new Mutation(claims, trust, kid, roleArn, duration, policy), expected).SetName(name);

    public sealed record Mutation(Action<Dictionary<string, object>> Claims, string Trust, string? Kid, string? RoleArn, int? Duration, string? Policy);
}
