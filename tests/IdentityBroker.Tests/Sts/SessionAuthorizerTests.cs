using IdentityBroker.Policies;
using IdentityBroker.Sts;

namespace IdentityBroker.Tests.Sts;

public sealed class SessionAuthorizerTests
{
    private const string RolePolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"}]}
        """;

    private StsFixture _f = null!;
    private SessionAuthorizer _authorizer = null!;
    private StsSession _session = null!;

    [SetUp]
    public async Task SetUp()
    {
        _f = new StsFixture();
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        await _f.Iam.UpdateRoleAsync(role with { InlinePolicies = new Dictionary<string, string> { ["s3"] = RolePolicy } }, CancellationToken.None);
        _authorizer = new SessionAuthorizer(_f.Iam, new PolicyCache());
        _session = new StsSession
        {
            AccessKeyId = "ASIAAAAAAAAAAAAAAAAA",
            RoleArn = role.Arn,
            RoleId = role.RoleId,
            SessionName = "s",
            Expiration = _f.Time.GetUtcNow().AddHours(1),
            Tags = new Dictionary<string, string> { ["team"] = "blue" },
        };
    }

    private async Task<PolicyEffect> EffectAsync(StsSession session, string action, string resource) =>
        (await _authorizer.EvaluateAsync(session, action, resource, new ConditionContext(), CancellationToken.None)).Value.Effect;

    [Test]
    public async Task Role_policy_applies_with_session_tags_as_principal_tags()
    {
        Assert.That(await EffectAsync(_session, "s3:GetObject", "arn:aws:s3:::bucket/blue/x"), Is.EqualTo(PolicyEffect.Allow));
        Assert.That(await EffectAsync(_session, "s3:GetObject", "arn:aws:s3:::bucket/red/x"), Is.EqualTo(PolicyEffect.ImplicitDeny));
    }

    [Test]
    public async Task Session_policy_narrows_the_role_policy()
    {
        var scoped = _session with
        {
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""",
        };

        Assert.That(await EffectAsync(scoped, "s3:GetObject", "arn:aws:s3:::bucket/blue/x"), Is.EqualTo(PolicyEffect.Allow));
        Assert.That(await EffectAsync(scoped, "s3:PutObject", "arn:aws:s3:::bucket/blue/x"), Is.EqualTo(PolicyEffect.ImplicitDeny));
    }

    [Test]
    public async Task Session_policy_cannot_widen_the_role_policy()
    {
        var wide = _session with { Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""" };

        Assert.That(await EffectAsync(wide, "iam:CreateRole", "*"), Is.EqualTo(PolicyEffect.ImplicitDeny));
    }

    [Test]
    public async Task Sessions_of_a_deleted_and_recreated_role_grant_nothing()
    {
        var stale = _session with { RoleId = "AROAOLDOLDOLDOLDOLDOL" };

        Assert.That(await EffectAsync(stale, "s3:GetObject", "arn:aws:s3:::bucket/blue/x"), Is.EqualTo(PolicyEffect.ImplicitDeny));
    }
}
