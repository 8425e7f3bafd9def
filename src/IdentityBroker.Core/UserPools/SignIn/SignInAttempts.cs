using IdentityBroker.Errors;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// Records the outcome of a password proof on the user, by compare-and-swap (<see cref="UserWrites.ChangeAsync"/>): a
/// failure counts toward the lockout (<see cref="SignInLockout"/>); a success clears the count and, when the stored hash
/// is of an older format or cost, stores the password's hash anew (<see cref="PasswordCheck.MatchRehashNeeded"/>). Only
/// a user with something to change is written.
/// </summary>
public sealed class SignInAttempts(UserWrites writes, PasswordHashes hashes, TimeProvider time)
{
    public async Task FailedAsync(PoolUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        // A lost race or a deleted user leaves nothing to count; the caller refuses the sign-in either way.
        _ = await writes.ChangeAsync(user.UserPoolId, user.Sub, (_, current) => current.Sub == user.Sub
            ? current with { Failures = SignInLockout.AfterFailure(current.Failures, now) }
            : UserErrors.UserNotFound, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="rehash">The clear password when its stored hash needs a rehash; null otherwise (and for SRP).</param>
    public async Task<Result<PoolUser>> SucceededAsync(PoolUser user, string? rehash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Failures == SignInFailures.None && rehash is null)
        {
            return user;
        }

        var verifiedHash = user.Password?.Hash;
        return await writes.ChangeAsync(user.UserPoolId, user.Sub, (_, current) =>
        {
            if (current.Sub != user.Sub)
            {
                return UserErrors.UserNotFound;
            }

            // Rehash only the password that was verified: a password changed meanwhile is left as it is.
            var password = rehash is not null && current.Password is { } credential && credential.Hash == verifiedHash
                ? credential with { Hash = hashes.Hash(rehash) }
                : current.Password;
            return current with { Failures = SignInFailures.None, Password = password };
        }, cancellationToken).ConfigureAwait(false);
    }
}
