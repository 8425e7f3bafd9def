using IdentityBroker.Mapping;
using IdentityBroker.Policies;
using IdentityBroker.Sts;
using IdentityBroker.Tests.Sts;

namespace IdentityBroker.Tests.Mapping;

/// <summary>A guest's credentials cannot do what the scope-down excludes, even when the role allows it.</summary>
public sealed class GuestScopeDownTests
{
    private const string WideRolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","iam:*","ec2:*","kms:*"],"Resource":"*"}]}""";

    private static async Task<(SessionAuthorizer Authorizer, StsSession Session)> GuestSessionAsync()
    {
        var f = new StsFixture();
        var role = await f.CreateRoleAsync("Guest", TrustPolicies.Cognito());
        await f.Iam.UpdateRoleAsync(role with { InlinePolicies = new Dictionary<string, string> { ["wide"] = WideRolePolicy } }, CancellationToken.None);
        var session = new StsSession
        {
            AccessKeyId = "ASIAAAAAAAAAAAAAAAAA",
            RoleArn = role.Arn,
            RoleId = role.RoleId,
            SessionName = "CognitoIdentityCredentials",
            Expiration = f.Time.GetUtcNow().AddHours(1),
            Policy = GuestScopeDown.Policy,
        };
        return (new SessionAuthorizer(f.Iam, new PolicyCache()), session);
    }

    [TestCase("s3:GetObject", "arn:aws:s3:::bucket/key", PolicyEffect.Allow)]
    [TestCase("kms:Decrypt", "*", PolicyEffect.Allow)]
    [TestCase("kms:CreateKey", "*", PolicyEffect.ImplicitDeny)]
    [TestCase("iam:CreateUser", "*", PolicyEffect.ImplicitDeny)]
    [TestCase("ec2:RunInstances", "*", PolicyEffect.ImplicitDeny)]
    public async Task Scope_down_bounds_what_the_role_allows(string action, string resource, PolicyEffect expected)
    {
        var (authorizer, session) = await GuestSessionAsync();

        var decision = await authorizer.EvaluateAsync(session, action, resource, new ConditionContext(), CancellationToken.None);

        Assert.That(decision.Value.Effect, Is.EqualTo(expected));
    }

    [Test]
    public async Task Without_the_scope_down_the_same_role_allows_iam()
    {
        var (authorizer, session) = await GuestSessionAsync();

        var decision = await authorizer.EvaluateAsync(session with { Policy = null }, "iam:CreateUser", "*", new ConditionContext(), CancellationToken.None);

        Assert.That(decision.Value.Effect, Is.EqualTo(PolicyEffect.Allow));
    }

    [Test]
    public void Scope_down_is_a_valid_session_policy_within_the_sts_limit()
    {
        Assert.That(GuestScopeDown.Policy.Length, Is.LessThanOrEqualTo(2048));
        Assert.That(PolicyParser.Parse(GuestScopeDown.Policy, PolicyKind.Permission).IsSuccess, Is.True);
    }
}
