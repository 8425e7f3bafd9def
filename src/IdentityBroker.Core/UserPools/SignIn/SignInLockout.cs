using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// Cognito's lockout after failed password sign-ins (developer guide, "Lockout behavior for failed sign-in attempts"):
/// after five failures the user is locked out for one second, and each further failure doubles it, up to about 15
/// minutes: 2^(n-5) seconds after n failures. Attempts during a lockout answer "Password attempts exceeded" and do not
/// count. A sign-in that succeeds after the lockout, or 15 minutes without attempts after a lockout, starts again at 0.
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
        return count < FreeFailures ? new SignInFailures(count, null) : new SignInFailures(count, now + Lockout(count));
    }

    /// <summary>2^(n-5) seconds for n failures, at most <see cref="MaxLockout"/>.</summary>
    public static TimeSpan Lockout(int failures)
    {
        var exponent = failures - FreeFailures;
        return exponent >= 10 ? MaxLockout : TimeSpan.FromSeconds(Math.Min(1 << Math.Max(exponent, 0), MaxLockout.TotalSeconds));
    }

    /// <summary>The failures as they stand at <paramref name="now"/>: forgotten 15 quiet minutes after a lockout ended.</summary>
    private static SignInFailures Current(SignInFailures failures, DateTimeOffset now) =>
        failures.LockedUntil is { } until && now >= until + ResetAfter ? SignInFailures.None : failures;
}
