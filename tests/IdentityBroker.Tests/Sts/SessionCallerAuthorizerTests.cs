using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Sts;

namespace IdentityBroker.Tests.Sts;

/// <summary>
/// The caller check of embedded-STS credentials: each resource the call acts on is evaluated with its own keys and the
/// request's global keys (aws:CurrentTime from the TimeProvider, aws:SourceIp from the request); the admin key needs no lookup.
/// </summary>
public sealed class SessionCallerAuthorizerTests
{
    private const string Pool = "arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:aaaaaaaa-0000-0000-0000-000000000000";
    private const string OtherPool = "arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:bbbbbbbb-0000-0000-0000-000000000000";

    private StsFixture _f = null!;
    private SessionCallerAuthorizer _authorizer = null!;
    private SigningPrincipal _caller = null!;
    private SignedRequest _request = null!;

    [SetUp]
    public async Task SetUp()
    {
        _f = new StsFixture();
        var role = await _f.CreateRoleAsync("Operator", TrustPolicies.Cognito());
        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));
        var keyId = StsFixture.Value(xml, "AccessKeyId")!;
        var token = StsFixture.Value(xml, "SessionToken")!;
        _caller = (await _f.Principals.FindAsync(keyId, token, CancellationToken.None))!;
        _request = new SignedRequest("POST", "/", "", [new("X-Amz-Security-Token", token)], ReadOnlyMemory<byte>.Empty) { SourceIp = "192.0.2.10" };
        _authorizer = new SessionCallerAuthorizer(_f.Principals, new SessionAuthorizer(_f.Iam, new PolicyCache()), _f.Time);
    }

    private async Task GrantAsync(string statements)
    {
        var role = (await _f.Iam.GetRoleAsync("Operator", CancellationToken.None))!;
        var policy = $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""";
        await _f.Iam.UpdateRoleAsync(role with { InlinePolicies = new Dictionary<string, string> { ["p"] = policy } }, CancellationToken.None);
    }

    private ValueTask<AwsError?> AuthorizeAsync(SigningPrincipal caller, params ResourceContext[] resources) =>
        _authorizer.AuthorizeAsync(caller, _request, "cognito-identity:DescribeIdentityPool",
            _ => ValueTask.FromResult<IReadOnlyList<ResourceContext>>(resources), SignatureDialect.Json, CancellationToken.None);

    [Test]
    public async Task The_current_time_comes_from_the_time_provider()
    {
        var deadline = _f.Time.GetUtcNow().AddMinutes(1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await GrantAsync($$$$"""{"Effect":"Allow","Action":"cognito-identity:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"{{{{deadline}}}}"}}}""");

        var before = await AuthorizeAsync(_caller, ResourceContext.Named(Pool));
        _f.Time.Advance(TimeSpan.FromMinutes(2));
        var after = await AuthorizeAsync(_caller, ResourceContext.Named(Pool));

        Assert.That(before, Is.Null);
        Assert.That(after?.Type, Is.EqualTo("AccessDeniedException"));
    }

    [Test]
    public async Task The_source_ip_is_the_requests()
    {
        await GrantAsync("""{"Effect":"Allow","Action":"cognito-identity:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}""");

        Assert.That(await AuthorizeAsync(_caller, ResourceContext.Named(Pool)), Is.Null);
        _request = _request with { SourceIp = "198.51.100.1" };
        Assert.That(await AuthorizeAsync(_caller, ResourceContext.Named(Pool)), Is.Not.Null);
    }

    [Test]
    public async Task Every_resource_must_be_allowed_and_the_refusal_names_the_one_that_is_not()
    {
        await GrantAsync($$"""{"Effect":"Allow","Action":"cognito-identity:*","Resource":"{{Pool}}"}""");

        var refused = await AuthorizeAsync(_caller, ResourceContext.Named(Pool), ResourceContext.Named(OtherPool));

        Assert.That(refused?.Message, Does.EndWith($"on resource: {OtherPool}"));
    }

    [Test]
    public async Task A_resources_keys_apply_to_that_resource_only()
    {
        await GrantAsync("""{"Effect":"Allow","Action":"cognito-identity:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}}""");
        var dev = ResourceContext.Tagged(Pool, new Dictionary<string, string> { ["env"] = "dev" });
        var prod = ResourceContext.Tagged(OtherPool, new Dictionary<string, string> { ["env"] = "prod" });

        Assert.That(await AuthorizeAsync(_caller, dev), Is.Null);
        Assert.That((await AuthorizeAsync(_caller, dev, prod))?.Message, Does.EndWith($"on resource: {OtherPool}"));
    }

    [Test]
    public async Task The_admin_key_is_allowed_without_looking_up_any_resource()
    {
        var admin = new SigningPrincipal("AKIAADMIN", "secret", "arn:aws:iam::000000000000:root", "000000000000", IsAdmin: true);
        var lookups = 0;

        var denied = await _authorizer.AuthorizeAsync(admin, _request, "iam:DeleteRole", _ =>
        {
            lookups++;
            return ValueTask.FromResult<IReadOnlyList<ResourceContext>>([ResourceContext.Any]);
        }, SignatureDialect.Query, CancellationToken.None);

        Assert.That(denied, Is.Null);
        Assert.That(lookups, Is.Zero);
    }
}
