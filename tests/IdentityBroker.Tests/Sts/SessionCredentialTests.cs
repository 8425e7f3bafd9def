using IdentityBroker.Protocol.Signing;
using IdentityBroker.Sts;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Sts;

public sealed class SessionCredentialTests
{
    private StsFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new StsFixture();

    private async Task<(string AccessKeyId, string Secret, string Token)> AssumeAsync(Dictionary<string, string>? extra = null)
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()), extra);
        Assert.That(response.StatusCode, Is.EqualTo(200));
        return (StsFixture.Value(xml, "AccessKeyId")!, StsFixture.Value(xml, "SecretAccessKey")!, StsFixture.Value(xml, "SessionToken")!);
    }

    [Test]
    public async Task Issued_credentials_resolve_to_the_assumed_role_with_the_same_secret()
    {
        var (keyId, secret, token) = await AssumeAsync();

        var principal = await _f.Principals.FindAsync(keyId, token, CancellationToken.None);

        Assert.That(principal, Is.Not.Null);
        Assert.That(principal!.SecretAccessKey, Is.EqualTo(secret));
        Assert.That(principal.Arn, Is.EqualTo("arn:aws:sts::000000000000:assumed-role/Auth/CognitoIdentityCredentials"));
        Assert.That(principal.UserId, Does.StartWith("AROA").And.EndWith(":CognitoIdentityCredentials"));
        Assert.That(principal.IsAdmin, Is.False);
    }

    [Test]
    public async Task Another_replica_with_the_same_key_store_resolves_them()
    {
        var (keyId, secret, token) = await AssumeAsync();
        var replica = new StsSessionPrincipals(new SessionKeyRing(_f.KeyStore, _f.Time), _f.Revocations, _f.Time);

        var principal = await replica.FindAsync(keyId, token, CancellationToken.None);

        Assert.That(principal?.SecretAccessKey, Is.EqualTo(secret));
    }

    [Test]
    public async Task Session_exposes_its_policy_inputs()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        var (keyId, _, token) = await AssumeAsync(new() { ["Policy"] = policy, ["PolicyArns.member.1.arn"] = "arn:aws:iam::000000000000:policy/ReadOnly" });

        var session = await _f.Principals.FindSessionAsync(keyId, token, CancellationToken.None);

        Assert.That(session!.Policy, Is.EqualTo(policy));
        Assert.That(session.PolicyArns, Is.EqualTo(new[] { "arn:aws:iam::000000000000:policy/ReadOnly" }));
        Assert.That(session.RoleArn, Is.EqualTo("arn:aws:iam::000000000000:role/Auth"));
    }

    [Test]
    public async Task Expired_session_resolves_as_expired_and_has_no_live_session()
    {
        var (keyId, _, token) = await AssumeAsync();

        _f.Time.Advance(TimeSpan.FromSeconds(3600));

        Assert.That((await _f.Principals.FindAsync(keyId, token, CancellationToken.None))?.Expired, Is.True);
        Assert.That(await _f.Principals.FindSessionAsync(keyId, token, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Token_with_another_access_key_id_does_not_resolve()
    {
        var (_, _, token) = await AssumeAsync();

        Assert.That(await _f.Principals.FindAsync(SessionTokenCodec.NewAccessKeyId(), token, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Any_altered_byte_of_the_token_is_detected()
    {
        var (keyId, _, token) = await AssumeAsync();
        var bytes = Base64UrlEncoder.DecodeBytes(token);

        for (var i = 0; i < bytes.Length; i += 7)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var principal = await _f.Principals.FindAsync(keyId, Base64UrlEncoder.Encode(tampered), CancellationToken.None);
            Assert.That(principal, Is.Null, $"byte {i}");
        }
    }

    [Test]
    public async Task Token_sealed_with_another_key_store_does_not_resolve()
    {
        var (keyId, _, token) = await AssumeAsync();
        var stranger = new StsSessionPrincipals(new SessionKeyRing(new InMemoryKeyStore(), _f.Time), _f.Revocations, _f.Time);

        Assert.That(await stranger.FindAsync(keyId, token, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Concurrent_first_use_settles_on_one_session_key()
    {
        var store = new InMemoryKeyStore();
        var rings = Enumerable.Range(0, 8).Select(_ => new SessionKeyRing(store, _f.Time)).ToList();

        var keys = await Task.WhenAll(rings.Select(r => r.GetCurrentAsync(CancellationToken.None).AsTask()));

        Assert.That(keys.Select(k => SessionTokenCodec.DeriveSecret("ASIAAAAAAAAAAAAAAAAA", k)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await store.GetKeysAsync(SessionKeyRing.Purpose, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetCallerIdentity_reports_the_signed_caller()
    {
        var caller = new SigningPrincipal("ASIAEXAMPLE", "secret", "arn:aws:sts::000000000000:assumed-role/Auth/s", "AROAX:s", false);
        var request = StsFixture.Query(new() { ["Action"] = "GetCallerIdentity", ["Version"] = "2011-06-15" }, caller);

        var response = await _f.Handler.HandleAsync("GetCallerIdentity", request, CancellationToken.None);
        var xml = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(response.Body.Span));

        Assert.That(StsFixture.Value(xml, "Arn"), Is.EqualTo(caller.Arn));
        Assert.That(StsFixture.Value(xml, "UserId"), Is.EqualTo("AROAX:s"));
        Assert.That(StsFixture.Value(xml, "Account"), Is.EqualTo("000000000000"));
        Assert.That(_f.Handler.RequiresSignature("GetCallerIdentity"), Is.True);
        Assert.That(_f.Handler.RequiresSignature("AssumeRoleWithWebIdentity"), Is.False);
    }
}
