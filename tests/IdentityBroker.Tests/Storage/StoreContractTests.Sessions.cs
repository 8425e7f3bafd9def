using IdentityBroker.Storage;
using IdentityBroker.UserPools.Sessions;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IUserPoolSessionStore Sessions =>
        Store.UserPoolSessions ?? throw new AssertionException("The store does not implement IUserPoolSessionStore.");

    /// <summary>
    /// Session times are near the real clock: a store may forget a session past its expiry by the server's own clock
    /// (Redis expires keys), so a live session must really be live.
    /// </summary>
    private static DateTimeOffset SessionNow { get; } = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static UserPoolSession NewSession(string userPoolId, string sub = "sub-alice", DateTimeOffset? createdAt = null, TimeSpan? lifetime = null)
    {
        var created = createdAt ?? SessionNow;
        return new UserPoolSession(userPoolId, Guid.NewGuid().ToString(), "client1234567890abcdefghij", sub, "alice",
            Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), created.AddSeconds(-5), created, created + (lifetime ?? TimeSpan.FromDays(30)));
    }

    [Test]
    public async Task User_pool_session_round_trips_and_survives_a_reopen()
    {
        var session = NewSession("us-east-1_Sessions1");

        Assert.That(await Sessions.TryCreateSessionAsync(session, None), Is.True);
        await ReopenAsync();

        AssertSameDocument(await Sessions.GetSessionAsync(session.UserPoolId, session.SessionId, None), session);
        Assert.That(await Sessions.GetSessionAsync("us-east-1_Other", session.SessionId, None), Is.Null, "a session belongs to its pool only");
    }

    [Test]
    public async Task Creating_a_session_with_a_taken_id_is_refused_and_keeps_the_first()
    {
        var first = NewSession("us-east-1_Sessions2");
        var second = first with { Sub = "sub-mallory", RefreshTokenHash = "00" };

        Assert.That(await Sessions.TryCreateSessionAsync(first, None), Is.True);
        Assert.That(await Sessions.TryCreateSessionAsync(second, None), Is.False);
        AssertSameDocument(await Sessions.GetSessionAsync(first.UserPoolId, first.SessionId, None), first);
    }

    [Test]
    public async Task Revoking_a_session_marks_it_alone_and_only_when_it_exists()
    {
        var revoked = NewSession("us-east-1_Sessions3");
        var kept = NewSession("us-east-1_Sessions3");
        await Sessions.TryCreateSessionAsync(revoked, None);
        await Sessions.TryCreateSessionAsync(kept, None);

        Assert.That(await Sessions.RevokeSessionAsync(revoked.UserPoolId, revoked.SessionId, None), Is.True);
        Assert.That(await Sessions.RevokeSessionAsync(revoked.UserPoolId, revoked.SessionId, None), Is.True, "revoking again is harmless");
        Assert.That(await Sessions.RevokeSessionAsync(revoked.UserPoolId, Guid.NewGuid().ToString(), None), Is.False);
        await ReopenAsync();

        Assert.That((await Sessions.GetSessionAsync(revoked.UserPoolId, revoked.SessionId, None))?.Revoked, Is.True);
        Assert.That((await Sessions.GetSessionAsync(kept.UserPoolId, kept.SessionId, None))?.Revoked, Is.False);
        Assert.That(await Sessions.GetSessionAsync(revoked.UserPoolId, Guid.NewGuid().ToString(), None), Is.Null, "revoking creates nothing");
    }

    [Test]
    public async Task Revoking_a_users_sessions_revokes_every_live_one_of_that_user_in_that_pool_only()
    {
        const string pool = "us-east-1_Sessions4";
        var alice = new[] { NewSession(pool), NewSession(pool), NewSession(pool) };
        var bob = NewSession(pool, "sub-bob");
        var aliceElsewhere = NewSession("us-east-1_Sessions5");
        foreach (var session in alice.Append(bob).Append(aliceElsewhere))
        {
            await Sessions.TryCreateSessionAsync(session, None);
        }

        await Sessions.RevokeSessionAsync(pool, alice[0].SessionId, None);

        Assert.That(await Sessions.RevokeUserSessionsAsync(pool, "sub-alice", None), Is.EqualTo(2), "the two still live");
        Assert.That(await Sessions.RevokeUserSessionsAsync(pool, "sub-alice", None), Is.Zero);
        foreach (var session in alice)
        {
            Assert.That((await Sessions.GetSessionAsync(pool, session.SessionId, None))?.Revoked, Is.True);
        }

        Assert.That((await Sessions.GetSessionAsync(pool, bob.SessionId, None))?.Revoked, Is.False);
        Assert.That((await Sessions.GetSessionAsync(aliceElsewhere.UserPoolId, aliceElsewhere.SessionId, None))?.Revoked, Is.False);
    }

    [Test]
    public async Task A_users_expired_sessions_are_forgotten_once_they_sign_in_again()
    {
        const string pool = "us-east-1_Sessions6";
        var expired = NewSession(pool, createdAt: SessionNow.AddDays(-2), lifetime: TimeSpan.FromDays(1));
        var othersExpired = NewSession(pool, "sub-bob", createdAt: SessionNow.AddDays(-2), lifetime: TimeSpan.FromDays(1));
        await Sessions.TryCreateSessionAsync(expired, None);
        await Sessions.TryCreateSessionAsync(othersExpired, None);

        await Sessions.TryCreateSessionAsync(NewSession(pool), None);

        Assert.That(await Sessions.GetSessionAsync(pool, expired.SessionId, None), Is.Null);
        Assert.That(await Sessions.RevokeUserSessionsAsync(pool, "sub-alice", None), Is.EqualTo(1), "only the live session counts");
    }

    [Test]
    public async Task Concurrent_sign_ins_and_a_global_sign_out_leave_no_session_of_the_user_live_that_existed_before_it()
    {
        const string pool = "us-east-1_Sessions7";
        var before = Enumerable.Range(0, 20).Select(_ => NewSession(pool)).ToList();
        await Task.WhenAll(before.Select(s => Sessions.TryCreateSessionAsync(s, None)));

        var during = Enumerable.Range(0, 20).Select(_ => NewSession(pool)).ToList();
        var signOut = Sessions.RevokeUserSessionsAsync(pool, "sub-alice", None);
        await Task.WhenAll(during.Select(s => Sessions.TryCreateSessionAsync(s, None)));
        await signOut;

        var revokedDuring = 0;
        foreach (var session in before)
        {
            Assert.That((await Sessions.GetSessionAsync(pool, session.SessionId, None))?.Revoked, Is.True);
        }

        foreach (var session in during)
        {
            revokedDuring += (await Sessions.GetSessionAsync(pool, session.SessionId, None))!.Revoked ? 1 : 0;
        }

        Assert.That(await signOut, Is.EqualTo(20 + revokedDuring), "the count is what the sign-out revoked, atomically");
    }

    // Refresh-token rotation: the compare-and-set of a session's current refresh-token hash.
    [Test]
    public async Task Replacing_a_refresh_token_succeeds_once_from_the_expected_hash_and_keeps_the_previous_one()
    {
        var session = NewSession("us-east-1_Rotation1");
        await Sessions.TryCreateSessionAsync(session, None);
        var rotated = session with
        {
            RefreshTokenHash = "aa11", PreviousRefreshTokenHash = session.RefreshTokenHash, PreviousValidUntil = SessionNow.AddSeconds(30),
        };
        var rival = rotated with { RefreshTokenHash = "bb22" };

        Assert.That(await Sessions.TryReplaceRefreshTokenAsync(rotated, session.RefreshTokenHash, None), Is.True);
        Assert.That(await Sessions.TryReplaceRefreshTokenAsync(rival, session.RefreshTokenHash, None), Is.False,
            "a second rotation from the same state must lose");
        await ReopenAsync();

        AssertSameDocument(await Sessions.GetSessionAsync(session.UserPoolId, session.SessionId, None), rotated);
    }

    [Test]
    public async Task Concurrent_replacements_from_the_same_hash_let_exactly_one_win()
    {
        var session = NewSession("us-east-1_Rotation2");
        await Sessions.TryCreateSessionAsync(session, None);

        var attempts = Enumerable.Range(0, 8).Select(i => Sessions.TryReplaceRefreshTokenAsync(
            session with { RefreshTokenHash = $"cc{i:x2}", PreviousRefreshTokenHash = session.RefreshTokenHash }, session.RefreshTokenHash, None));
        var results = await Task.WhenAll(attempts);

        Assert.That(results.Count(r => r), Is.EqualTo(1));
        var stored = await Sessions.GetSessionAsync(session.UserPoolId, session.SessionId, None);
        Assert.That(stored?.RefreshTokenHash, Is.EqualTo($"cc{Array.IndexOf(results, true):x2}"), "the winner's token is the one stored");
    }

    [Test]
    public async Task A_revoked_or_missing_session_refuses_a_replacement()
    {
        var session = NewSession("us-east-1_Rotation3");
        await Sessions.TryCreateSessionAsync(session, None);
        await Sessions.RevokeSessionAsync(session.UserPoolId, session.SessionId, None);
        var rotated = session with { RefreshTokenHash = "dd33" };

        Assert.That(await Sessions.TryReplaceRefreshTokenAsync(rotated, session.RefreshTokenHash, None), Is.False);
        Assert.That(await Sessions.TryReplaceRefreshTokenAsync(rotated with { SessionId = Guid.NewGuid().ToString() }, session.RefreshTokenHash, None),
            Is.False);
        var stored = await Sessions.GetSessionAsync(session.UserPoolId, session.SessionId, None);
        Assert.That(stored?.RefreshTokenHash, Is.EqualTo(session.RefreshTokenHash));
        Assert.That(stored?.Revoked, Is.True, "a replacement never revives a session");
    }
}
