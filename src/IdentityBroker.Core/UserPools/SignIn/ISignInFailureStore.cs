using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// The failed sign-ins of names that match no user, so that with PreventUserExistenceErrors they count and lock out as a
/// user's do (<see cref="UnknownUsers"/>). One record per pool and normalized name; each expires when
/// <see cref="SignInLockout.ForgottenAt"/> would forget it, and the stores forget expired records as they write, so the
/// records stay bounded by the names tried in the last ~30 minutes.
/// </summary>
public interface ISignInFailureStore
{
    /// <summary>The failures kept for <paramref name="key"/>; <see cref="SignInFailures.None"/> when none or expired at <paramref name="now"/>.</summary>
    Task<SignInFailures> GetSignInFailuresAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically stores <paramref name="next"/> (expiring at <paramref name="expiresAt"/>) when the record still holds
    /// <paramref name="expected"/> (<see cref="SignInFailures.None"/> matches a missing or expired record).
    /// </summary>
    /// <returns>False when another write came first.</returns>
    Task<bool> ReplaceSignInFailuresAsync(
        string userPoolId, string key, SignInFailures expected, SignInFailures next, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken cancellationToken);
}

/// <summary>The one text form of <see cref="SignInFailures"/> both stores keep and compare: <c>count;lockedUntil;lastFailureAt</c> in Unix ms, empty for none.</summary>
public static class SignInFailureText
{
    public static string Encode(SignInFailures failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures == SignInFailures.None
            ? ""
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{failures.Count};{failures.LockedUntil?.ToUnixTimeMilliseconds()};{failures.LastFailureAt?.ToUnixTimeMilliseconds()}");
    }

    public static SignInFailures Decode(string? text)
    {
        var parts = (text ?? "").Split(';');
        return parts.Length != 3 || !int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? SignInFailures.None
            : new SignInFailures(count, Time(parts[1]), Time(parts[2]));
    }

    private static DateTimeOffset? Time(string part) =>
        long.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
