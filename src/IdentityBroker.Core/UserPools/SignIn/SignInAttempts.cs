using IdentityBroker.Errors;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// Records the outcome of a sign-in step on the user, by compare-and-swap (<see cref="UserWrites.ChangeAsync"/>): a wrong
/// password or a wrong MFA code counts toward the lockout (<see cref="SignInLockout"/>); a proven password stores its hash
/// anew when the stored hash is of an older format or cost (<see cref="PasswordCheck.MatchRehashNeeded"/>); the count is
/// cleared only when the sign-in ends with the user authenticated (<see cref="ClearAsync"/>), so that a known password
/// cannot reset the count between guesses of the MFA code. Only a user with something to change is written.
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
        if (rehash is null)
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
            return current.Password is { } credential && credential.Hash == verifiedHash
                ? current with { Password = credential with { Hash = hashes.Hash(rehash) } }
                : current;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sign-in authenticated the user (every challenge answered): the failures start again at 0.</summary>
    public async Task<Result<PoolUser>> ClearAsync(PoolUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Failures == SignInFailures.None)
        {
            return user;
        }

        return await writes.ChangeAsync(user.UserPoolId, user.Sub, (_, current) => current.Sub == user.Sub
            ? current with { Failures = SignInFailures.None }
            : UserErrors.UserNotFound, cancellationToken).ConfigureAwait(false);
    }
}
