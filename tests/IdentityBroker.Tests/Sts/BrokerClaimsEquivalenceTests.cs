using IdentityBroker.Federation;
using IdentityBroker.Iam;
using IdentityBroker.Identities;
using IdentityBroker.Mapping;
using IdentityBroker.Policies;
using IdentityBroker.Pools;
using IdentityBroker.Sts;
using IdentityBroker.Tokens;

namespace IdentityBroker.Tests.Sts;

/// <summary>
/// Decision 1 of issue 19: GetCredentialsForIdentity's in-process path hands the embedded STS the claims OpenIdTokenIssuer built,
/// never signed; the HTTP hop and aws mode send the same claims signed. For the same request both must give the same assumed-role
/// principal, session tags and policy decisions, or the same refusal. Each case is a pool, an identity, its logins and tags, and a
/// role (trust policy, permissions, session policy); both paths run against one embedded STS.
/// </summary>
public sealed class BrokerClaimsEquivalenceTests
{
    private const string OtherPoolId = "eu-west-1:99999999-8888-7777-6666-555555555555";

    private static readonly string[] Actions =
        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "dynamodb:GetItem", "iam:CreateUser", "sts:GetCallerIdentity"];

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("authenticated, Cognito principal with aud and amr", Scenario.SignedIn(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId, amr: "authenticated")), ["s3:GetObject", "s3:PutObject", "dynamodb:GetItem", "iam:CreateUser"]);
        yield return Case("guest with the scope-down session policy", Scenario.Guest(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId, amr: "unauthenticated")), ["s3:GetObject", "s3:PutObject", "dynamodb:GetItem"]);
        yield return Case("principal tags decide a PrincipalTag condition", Scenario.SignedIn(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId, tagSession: true), new Dictionary<string, string> { ["team"] = "blue", ["env"] = "prod" }),
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "dynamodb:GetItem", "iam:CreateUser"]);
        yield return Case("a tag value the condition refuses", Scenario.SignedIn(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId, tagSession: true), new Dictionary<string, string> { ["team"] = "red" }),
            ["s3:GetObject", "s3:PutObject", "dynamodb:GetItem", "iam:CreateUser"]);
        yield return Case("the broker as an IAM OIDC provider, second pool", Scenario.SignedIn(OtherPoolId,
            Trust(StsFixture.BrokerProviderArn, OtherPoolId, audKey: "broker.example.com:aud")), ["s3:GetObject", "s3:PutObject", "dynamodb:GetItem", "iam:CreateUser"]);
        yield return Case("an expression rule's session policy narrows the role", Scenario.SignedIn(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId)) with { SessionPolicy = ReadOnlyPolicy }, ["s3:GetObject"]);
        yield return Case("trust refusal: the role trusts another pool", Scenario.SignedIn(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", OtherPoolId)), null);
        yield return Case("trust refusal: a guest for an authenticated-only role", Scenario.Guest(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId, amr: "authenticated")), null);
        yield return Case("trust refusal: session tags without sts:TagSession", Scenario.SignedIn(StsFixture.PoolId,
            Trust("cognito-identity.amazonaws.com", StsFixture.PoolId), new Dictionary<string, string> { ["team"] = "blue" }), null);
        yield return Case("trust refusal: OIDC principal names the guest audience only", Scenario.SignedIn(StsFixture.PoolId,
            Trust(StsFixture.BrokerProviderArn, StsFixture.PoolId + ":unauthenticated", audKey: "broker.example.com:aud")), null);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Both_paths_give_the_same_principal_tags_and_decisions(Scenario scenario, string[]? allowed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var f = new StsFixture();
        var issuer = await IssuerAsync(f);
        var role = await CreateRoleAsync(f, scenario.TrustPolicy);
        var claims = issuer.Claims(scenario.Pool, scenario.Identity(f.Time.GetUtcNow()), scenario.Logins, TimeSpan.FromMinutes(5), scenario.Tags);
        var request = new WebIdentityRequest(role.Arn, "CognitoIdentityCredentials", null, null, scenario.SessionPolicy);

        var signed = await f.Sts.AssumeRoleWithWebIdentityAsync(request with { WebIdentityToken = claims.Sign() }, CancellationToken.None);
        var inProcess = await f.Sts.AssumeRoleWithBrokerClaimsAsync(request, claims, CancellationToken.None);

        if (allowed is null)
        {
            Assert.Multiple(() =>
            {
                Assert.That(signed.Error?.Type, Is.EqualTo("AccessDenied"), "signed token");
                Assert.That(inProcess.Error?.Type, Is.EqualTo("AccessDenied"), "claims in process");
                Assert.That(inProcess.Error?.Message, Is.EqualTo(signed.Error?.Message));
            });
            return;
        }

        Assert.That(signed.Error, Is.Null, "signed token");
        Assert.That(inProcess.Error, Is.Null, "claims in process");
        var fromToken = await SessionAsync(f, signed.Value);
        var fromClaims = await SessionAsync(f, inProcess.Value);
        var allowedFromToken = await AllowedAsync(f, fromToken);
        var allowedFromClaims = await AllowedAsync(f, fromClaims);
        Assert.Multiple(() =>
        {
            // AssumedRoleArn, AssumedRoleId, SubjectFromWebIdentityToken, Audience, Provider, PackedPolicySize, SourceIdentity.
            Assert.That(inProcess.Value with { Credentials = signed.Value.Credentials }, Is.EqualTo(signed.Value));
            Assert.That(inProcess.Value.AssumedRoleId, Is.EqualTo($"{role.RoleId}:CognitoIdentityCredentials"));
            Assert.That(inProcess.Value.SubjectFromWebIdentityToken, Is.EqualTo(StsFixture.IdentityId));
            Assert.That(fromClaims.Tags, Is.EqualTo(fromToken.Tags));
            Assert.That(fromClaims.Tags, Is.EqualTo(scenario.Tags ?? new Dictionary<string, string>()));
            Assert.That(fromClaims.TransitiveTagKeys, Is.EqualTo(fromToken.TransitiveTagKeys));
            Assert.That(fromClaims.Policy, Is.EqualTo(fromToken.Policy));
            Assert.That(fromClaims.BrokerScope! with { Amr = [] }, Is.EqualTo(fromToken.BrokerScope! with { Amr = [] }));
            Assert.That(fromClaims.BrokerScope!.Amr, Is.EqualTo(fromToken.BrokerScope!.Amr));
            Assert.That(fromClaims.Expiration, Is.EqualTo(fromToken.Expiration));
            Assert.That(allowedFromClaims, Is.EqualTo(allowedFromToken));
            Assert.That(allowedFromToken, Is.EqualTo(allowed));
        });
    }

    /// <summary>An issuer with its own key ring, published to the fixture's STS as the broker's keys.</summary>
    private static async Task<OpenIdTokenIssuer> IssuerAsync(StsFixture f)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new BrokerOptions { Issuer = StsFixture.BrokerIssuer, AccountId = StsFixture.Account });
        var ring = new SigningKeyRing(new InMemoryKeyStore(), options, f.Time);
        await ring.LoadAsync(CancellationToken.None);
        f.Keys.Issuers[StsFixture.BrokerIssuer] = new IssuerKeys(StsFixture.BrokerIssuer, ring.VerificationKeys, IsBroker: true, StsFixture.BrokerProviderArn);
        return new OpenIdTokenIssuer(new BrokerIssuer(options), ring, options, f.Time);
    }

    /// <summary>Allows everything listed but DeleteObject, which only a session tagged team = blue may do.</summary>
    private static async Task<IamRole> CreateRoleAsync(StsFixture f, string trust)
    {
        var role = new IamRole
        {
            RoleName = "Mapped",
            RoleId = "AROAEQUIVALENCE00001",
            Arn = $"arn:aws:iam::{StsFixture.Account}:role/Mapped",
            AssumeRolePolicyDocument = trust,
            MaxSessionDuration = 3600,
            CreateDate = f.Time.GetUtcNow(),
            InlinePolicies = new Dictionary<string, string>
            {
                ["base"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","dynamodb:GetItem","iam:CreateUser"],"Resource":"*"}]}""",
                ["tagged"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]}""",
            },
        };
        Assert.That(await f.Iam.TryCreateRoleAsync(role, CancellationToken.None), Is.True);
        return role;
    }

    private static async Task<StsSession> SessionAsync(StsFixture f, WebIdentityResult result) =>
        await f.Principals.FindSessionAsync(result.Credentials.AccessKeyId, result.Credentials.SessionToken, CancellationToken.None)
            ?? throw new AssertionException("the credentials do not resolve to a session");

    private static async Task<string[]> AllowedAsync(StsFixture f, StsSession session)
    {
        var authorizer = new SessionAuthorizer(f.Iam, new PolicyCache());
        var allowed = new List<string>();
        foreach (var action in Actions)
        {
            var decision = await authorizer.EvaluateAsync(session, action, "*", new ConditionContext(), CancellationToken.None);
            if (decision.IsSuccess && decision.Value.IsAllowed)
            {
                allowed.Add(action);
            }
        }

        return [.. allowed];
    }

    private static string Trust(string principal, string audience, string? amr = null, bool tagSession = false, string audKey = "cognito-identity.amazonaws.com:aud")
    {
        var actions = tagSession ? "[\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\"]" : "\"sts:AssumeRoleWithWebIdentity\"";
        var amrCondition = amr is null ? "" : $",\"ForAnyValue:StringLike\":{{\"cognito-identity.amazonaws.com:amr\":\"{amr}\"}}";
        return $$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{{principal}}}"},"Action":{{{actions}}},
            "Condition":{"StringEquals":{"{{{audKey}}}":"{{{audience}}}"}{{{amrCondition}}}}}]}
            """;
    }

    private const string ReadOnlyPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private static TestCaseData Case(string name, Scenario scenario, string[]? allowed) => new TestCaseData(scenario, allowed).SetName(name);

    /// <summary>One GetCredentialsForIdentity request as the credential operation hands it to the minter.</summary>
    public sealed record Scenario(
        IdentityPool Pool, bool Authenticated, IReadOnlyList<ValidatedLogin> Logins, string TrustPolicy, string? SessionPolicy,
        IReadOnlyDictionary<string, string>? Tags)
    {
        public static Scenario SignedIn(string poolId, string trust, IReadOnlyDictionary<string, string>? tags = null) => new(
            PoolOf(poolId), true,
            [new ValidatedLogin("login.example.com", "user-1", "arn:aws:iam::000000000000:oidc-provider/login.example.com:OIDC:user-1",
                new Dictionary<string, IReadOnlyList<string>>())],
            trust, null, tags);

        public static Scenario Guest(string poolId, string trust) => new(PoolOf(poolId), false, [], trust, GuestScopeDown.Policy, null);

        public Identity Identity(DateTimeOffset created) => new()
        {
            IdentityId = StsFixture.IdentityId,
            IdentityPoolId = Pool.IdentityPoolId,
            Logins = Authenticated ? [new LoginKey("login.example.com", "user-1")] : [],
            CreationDate = created,
        };

        public override string ToString() => $"{Pool.IdentityPoolId} {(Authenticated ? "authenticated" : "guest")}";

        private static IdentityPool PoolOf(string id) => new() { IdentityPoolId = id, IdentityPoolName = "p", AllowUnauthenticatedIdentities = true };
    }
}
