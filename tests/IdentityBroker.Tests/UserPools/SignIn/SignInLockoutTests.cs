using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.SignIn;

[TestFixture]
public sealed class SignInLockoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SignInFailures After(int failures)
    {
        var state = SignInFailures.None;
        for (var i = 0; i < failures; i++)
        {
            state = SignInLockout.AfterFailure(state, Now);
        }

        return state;
    }

    [Test]
    public void Four_failures_lock_nobody_out()
    {
        var state = After(4);
        Assert.Multiple(() =>
        {
            Assert.That(state.Count, Is.EqualTo(4));
            Assert.That(state.LockedUntil, Is.Null);
            Assert.That(SignInLockout.IsLockedOut(state, Now), Is.False);
        });
    }

    [TestCase(5, 1)]
    [TestCase(6, 2)]
    [TestCase(7, 4)]
    [TestCase(10, 32)]
    [TestCase(14, 512)]
    public void The_nth_failure_locks_out_for_two_to_the_n_minus_five_seconds(int failures, int seconds)
    {
        var state = After(failures);
        Assert.Multiple(() =>
        {
            Assert.That(state.LockedUntil, Is.EqualTo(Now + TimeSpan.FromSeconds(seconds)));
            Assert.That(SignInLockout.IsLockedOut(state, Now + TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1)), Is.True);
            Assert.That(SignInLockout.IsLockedOut(state, Now + TimeSpan.FromSeconds(seconds)), Is.False);
        });
    }

    [TestCase(15)]
    [TestCase(40)]
    [TestCase(int.MaxValue)]
    public void Lockouts_stop_growing_at_fifteen_minutes(int failures) =>
        Assert.That(SignInLockout.Lockout(failures), Is.EqualTo(TimeSpan.FromMinutes(15)));

    [Test]
    public void Fifteen_quiet_minutes_after_a_lockout_start_the_count_again()
    {
        var locked = After(6);
        var quiet = locked.LockedUntil!.Value + TimeSpan.FromMinutes(15);
        Assert.Multiple(() =>
        {
            Assert.That(SignInLockout.AfterFailure(locked, quiet), Is.EqualTo(new SignInFailures(1, null, quiet)));
            Assert.That(SignInLockout.AfterFailure(locked, quiet - TimeSpan.FromSeconds(1)).Count, Is.EqualTo(7));
        });
    }

    [Test]
    public void Failures_without_a_lockout_are_forgotten_fifteen_quiet_minutes_after_the_last()
    {
        var four = After(4);
        var quiet = Now + TimeSpan.FromMinutes(15);
        Assert.Multiple(() =>
        {
            Assert.That(SignInLockout.ForgottenAt(four), Is.EqualTo(quiet));
            Assert.That(SignInLockout.AfterFailure(four, quiet - TimeSpan.FromMilliseconds(1)).Count, Is.EqualTo(5), "not yet quiet");
            Assert.That(SignInLockout.AfterFailure(four, quiet).Count, Is.EqualTo(1));
            Assert.That(SignInLockout.ForgottenAt(After(6)), Is.EqualTo(After(6).LockedUntil + TimeSpan.FromMinutes(15)), "after a lockout: from its end");
            Assert.That(SignInLockout.ForgottenAt(SignInFailures.None), Is.Null);
        });
    }
}
