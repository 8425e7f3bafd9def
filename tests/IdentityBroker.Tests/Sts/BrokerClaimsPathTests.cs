using System.Text.Json;
using IdentityBroker.Sts;
using IdentityBroker.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Sts;

/// <summary>
/// The in-process STS path for the broker's claims, never signed (<see cref="EmbeddedSts.AssumeRoleWithBrokerClaimsAsync"/>):
/// it has no token to read or verify, so every refusal of the full path must come out of it too. Each case breaks one thing
/// and runs both paths: the full one with the claims' signed JWS, the in-process one with the claims themselves.
/// </summary>
public sealed class BrokerClaimsPathTests
{
    private const string TagSession = "tag-session";
    private const string AuthenticatedOnly = "authenticated-only";

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
        yield return Case("token over STS's 20,000 characters", "ValidationError", c => c["padding"] = new string('x', 20_000));
        yield return Case("malformed session policy", "MalformedPolicyDocument", _ => { }, policy: "{\"Statement\":");
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task The_claims_path_refuses_what_the_full_path_refuses(Mutation mutation, string expected)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        var f = new StsFixture();
        var role = await CreateRoleAsync(f, mutation.Trust);
        var claims = f.BrokerClaims();
        mutation.Claims(claims);
        var request = new WebIdentityRequest(mutation.RoleArn ?? role.Arn, "CognitoIdentityCredentials", null, mutation.Duration, mutation.Policy);
        var built = Built(claims, mutation.Kid == "unknown" ? StsFixture.OtherRsaKey : StsFixture.SharedBrokerKey);

        var full = await f.Sts.AssumeRoleWithWebIdentityAsync(request with { WebIdentityToken = built.Sign() }, CancellationToken.None);
        var inProcess = await f.Sts.AssumeRoleWithBrokerClaimsAsync(request, built, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(full.Error?.Type, Is.EqualTo(expected), "full path");
            Assert.That(inProcess.Error?.Type, Is.EqualTo(expected), "claims path");
            Assert.That(inProcess.Error?.Message, Is.EqualTo(full.Error?.Message));
        });
    }

    [Test]
    public async Task Valid_claims_get_the_same_session_as_the_full_path()
    {
        var f = new StsFixture();
        var role = await CreateRoleAsync(f, TagSession);
        var claims = f.BrokerClaims();
        claims["https://aws.amazon.com/tags"] = TagClaim(2);
        var built = Built(claims, StsFixture.SharedBrokerKey);
        var request = new WebIdentityRequest(role.Arn, "CognitoIdentityCredentials", null, null);

        var full = await f.Sts.AssumeRoleWithWebIdentityAsync(request with { WebIdentityToken = built.Sign() }, CancellationToken.None);
        var inProcess = await f.Sts.AssumeRoleWithBrokerClaimsAsync(request, built, CancellationToken.None);

        Assert.That(inProcess.Error, Is.Null);
        var session = await f.Principals.FindAsync(inProcess.Value.Credentials.AccessKeyId, inProcess.Value.Credentials.SessionToken, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(inProcess.Value with { Credentials = full.Value.Credentials }, Is.EqualTo(full.Value));
            Assert.That(session!.SecretAccessKey, Is.EqualTo(inProcess.Value.Credentials.SecretAccessKey));
        });
    }

    [Test]
    public void A_request_with_both_claims_and_a_token_text_is_a_programming_error()
    {
        var f = new StsFixture();
        var built = Built(f.BrokerClaims(), StsFixture.SharedBrokerKey);
        var request = new WebIdentityRequest($"arn:aws:iam::{StsFixture.Account}:role/Auth", "CognitoIdentityCredentials", built.Sign(), null);

        Assert.ThrowsAsync<ArgumentException>(() => f.Sts.AssumeRoleWithBrokerClaimsAsync(request, built, CancellationToken.None));
    }

    /// <summary>
    /// What OpenIdTokenIssuer would build for these (possibly broken) claims, signed by <paramref name="key"/> once it leaves:
    /// the payload is these claims' JSON, so the full path reads exactly the values the claims path is handed.
    /// </summary>
    internal static BrokerTokenClaims Built(Dictionary<string, object> claims, RsaSecurityKey key) => new(
        JsonSerializer.SerializeToUtf8Bytes(claims),
        JwsSigner.For(key, SecurityAlgorithms.RsaSha512),
        (string)claims["iss"],
        (string)claims["sub"],
        (string)claims["aud"],
        (string[])claims["amr"],
        (long)claims["iat"],
        (long)claims["exp"],
        claims.TryGetValue("https://aws.amazon.com/tags", out var tags)
            ? ((Dictionary<string, object>)((Dictionary<string, object>)tags)["principal_tags"]).ToDictionary(t => t.Key, t => ((string[])t.Value)[0])
            : null);

    private static Task<IdentityBroker.Iam.IamRole> CreateRoleAsync(StsFixture f, string trust) => f.CreateRoleAsync("Auth", trust switch
    {
        TagSession => TrustPolicies.CognitoWithTagSession(),
        AuthenticatedOnly => TrustPolicies.Cognito(",\"ForAnyValue:StringLike\":{\"cognito-identity.amazonaws.com:amr\":\"authenticated\"}"),
        _ => TrustPolicies.Cognito(),
    });

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
