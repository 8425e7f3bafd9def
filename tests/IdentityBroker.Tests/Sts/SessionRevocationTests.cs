using IdentityBroker.Revocations;
using IdentityBroker.Sts;

namespace IdentityBroker.Tests.Sts;

/// <summary>Revocations against sessions of the embedded STS, on a fake clock (docs/revocation.md).</summary>
public sealed class SessionRevocationTests
{
    private StsFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new StsFixture();

    private async Task<(string AccessKeyId, string Token)> AssumeAsync(string audience = StsFixture.PoolId)
    {
        var role = await _f.CreateRoleAsync($"Auth{Guid.NewGuid():N}"[..20], TrustPolicies.Cognito());
        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(audience)));
        Assert.That(response.StatusCode, Is.EqualTo(200));
        return (StsFixture.Value(xml, "AccessKeyId")!, StsFixture.Value(xml, "SessionToken")!);
    }

    private async Task RevokeAsync(string? identityId = null, string? provider = null, string poolId = StsFixture.PoolId)
    {
        await _f.RevocationStore.AddRevocationAsync(new Revocation
        {
            RevocationId = Guid.NewGuid().ToString("D"),
            IdentityPoolId = poolId,
            IdentityId = identityId,
            Provider = provider,
            IssuedBefore = _f.Time.GetUtcNow(),
            CreatedAt = _f.Time.GetUtcNow(),
        }, CancellationToken.None);
        await _f.Revocations.RefreshAsync(CancellationToken.None);
    }

    private async Task<bool?> ExpiredAsync((string AccessKeyId, string Token) session) =>
        (await _f.Principals.FindAsync(session.AccessKeyId, session.Token, CancellationToken.None))?.Expired;

    [Test]
    public async Task A_pool_revocation_refuses_the_sessions_issued_before_it_and_not_those_after()
    {
        var before = await AssumeAsync();
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        await RevokeAsync();
        _f.Time.Advance(TimeSpan.FromMilliseconds(1));
        var after = await AssumeAsync();

        Assert.That(await ExpiredAsync(before), Is.True);
        Assert.That(await _f.Principals.FindSessionAsync(before.AccessKeyId, before.Token, CancellationToken.None), Is.Null);
        Assert.That(await ExpiredAsync(after), Is.False, "the scope mints again");
    }

    [Test]
    public async Task A_pool_revocation_covers_the_pools_guest_sessions_whose_audience_carries_the_guest_suffix()
    {
        var guest = await AssumeAsync(StsFixture.PoolId + ":unauthenticated");
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        await RevokeAsync();

        Assert.That(await ExpiredAsync(guest), Is.True);
    }

    [TestCase(StsFixture.IdentityId, null, true)]
    [TestCase("us-east-1:00000000-0000-0000-0000-000000000000", null, false)]
    [TestCase(null, "accounts.google.com", true)]
    [TestCase(null, "graph.facebook.com", false)]
    [TestCase(StsFixture.IdentityId, "graph.facebook.com", false)]
    public async Task A_narrower_revocation_refuses_only_the_sessions_in_its_scope(string? identityId, string? provider, bool refused)
    {
        var session = await AssumeAsync();
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        await RevokeAsync(identityId, provider);

        Assert.That(await ExpiredAsync(session), Is.EqualTo(refused));
    }

    [Test]
    public async Task Another_pools_revocation_changes_nothing_and_deleting_a_revocation_restores_the_session()
    {
        var session = await AssumeAsync();
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        await RevokeAsync(poolId: "us-east-1:99999999-2222-3333-4444-555555555555");
        Assert.That(await ExpiredAsync(session), Is.False);

        await RevokeAsync();
        Assert.That(await ExpiredAsync(session), Is.True);
        foreach (var revocation in await _f.RevocationStore.ListRevocationsAsync(CancellationToken.None))
        {
            await _f.RevocationStore.DeleteRevocationAsync(revocation.RevocationId, CancellationToken.None);
        }

        await _f.Revocations.RefreshAsync(CancellationToken.None);
        Assert.That(await ExpiredAsync(session), Is.False);
    }

    [Test]
    public void The_rule_compares_issue_time_strictly_and_reads_the_scope()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var revocation = new Revocation { RevocationId = "r", IdentityPoolId = "p", Provider = "accounts.google.com", IssuedBefore = at, CreatedAt = at };
        var session = new SessionScope("p", "i", ["authenticated", "accounts.google.com"], at.AddMilliseconds(-1));

        Assert.That(RevocationRules.Revokes(revocation, session), Is.True);
        Assert.That(RevocationRules.Revokes(revocation, session with { IssuedAt = at }), Is.False, "issued at the revocation's time: after it");
        Assert.That(RevocationRules.Revokes(revocation, session with { Amr = ["unauthenticated"] }), Is.False);
        Assert.That(RevocationRules.Revokes(revocation, session with { IdentityPoolId = "q" }), Is.False);
    }

    [Test]
    public void The_aws_policy_denies_every_session_of_the_role_issued_before_the_revocation()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);
        var policy = RevocationPolicy.For(new Revocation { RevocationId = "r", IdentityPoolId = "us-east-1:p", IdentityId = "us-east-1:i", IssuedBefore = at, CreatedAt = at });

        using var document = System.Text.Json.JsonDocument.Parse(policy);
        var statement = document.RootElement.GetProperty("Statement")[0];
        Assert.That(statement.GetProperty("Effect").GetString(), Is.EqualTo("Deny"));
        Assert.That(statement.GetProperty("Action").GetString(), Is.EqualTo("*"));
        var condition = statement.GetProperty("Condition");
        Assert.That(condition.GetProperty("DateLessThan").GetProperty("aws:TokenIssueTime").GetString(), Is.EqualTo("2026-03-01T12:00:00.250Z"));
    }
}
