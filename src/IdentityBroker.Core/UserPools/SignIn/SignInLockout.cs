using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// Cognito's lockout after failed password sign-ins (developer guide, "Lockout behavior for failed sign-in attempts"):
/// after five failures the user is locked out for one second, and each further failure doubles it, up to about 15
/// minutes: 2^(n-5) seconds after n failures. Attempts during a lockout answer "Password attempts exceeded" and do not
/// count. A sign-in that succeeds after the lockout, or 15 minutes without attempts after a lockout, starts again at 0.
/// The broker also forgets failures that caused no lockout after 15 quiet minutes (the guide says nothing of them; five
/// failures and 15 quiet minutes reset anyway), so that the record kept for a name that matches no user
/// (<see cref="UnknownUsers"/>) can expire when a user's would be forgotten, and both answer alike.
/// A pure rule: the flows store its result on the user by compare-and-swap.
/// </summary>
public static class SignInLockout
{
    public const int FreeFailures = 5;

    public static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);

    /// <summary>The quiet time after a lockout that forgets the failures.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(15);

    /// <summary>True while a lockout runs: the attempt is refused before any password is checked.</summary>
    public static bool IsLockedOut(SignInFailures failures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.LockedUntil is { } until && now < until;
    }

    /// <summary>The failures after one more wrong password at <paramref name="now"/>.</summary>
    public static SignInFailures AfterFailure(SignInFailures failures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var count = Current(failures, now).Count + 1;
        return new SignInFailures(count, count < FreeFailures ? null : now + Lockout(count), now);
    }

    /// <summary>2^(n-5) seconds for n failures, at most <see cref="MaxLockout"/>.</summary>
    public static TimeSpan Lockout(int failures)
    {
        var exponent = failures - FreeFailures;
        return exponent >= 10 ? MaxLockout : TimeSpan.FromSeconds(Math.Min(1 << Math.Max(exponent, 0), MaxLockout.TotalSeconds));
    }

    /// <summary>
    /// When <paramref name="failures"/> are forgotten: 15 quiet minutes after the lockout ended, or after the last failure
    /// when there was no lockout; null for none (or a record from before the last failure's time was kept).
    /// </summary>
    public static DateTimeOffset? ForgottenAt(SignInFailures failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return (failures.LockedUntil ?? failures.LastFailureAt) is { } quietFrom ? quietFrom + ResetAfter : null;
    }

    /// <summary>The failures as they stand at <paramref name="now"/>: forgotten 15 quiet minutes after a lockout or the last failure.</summary>
    public static SignInFailures Current(SignInFailures failures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return ForgottenAt(failures) is { } forgotten && now >= forgotten ? SignInFailures.None : failures;
    }
}
