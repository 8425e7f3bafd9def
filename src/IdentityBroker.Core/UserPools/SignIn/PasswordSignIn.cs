using IdentityBroker.Errors;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: find the user → refuse during a lockout → verify the password (an
/// unknown user costs the same verification when its existence is hidden) → record the outcome → the next step.
/// </summary>
public sealed class PasswordSignIn(
    UserLookup lookup, PasswordHashes hashes, SignInAttempts attempts, UnknownUsers unknown, SignInSteps steps, TimeProvider time,
    Triggers.UserMigration migration, Triggers.LifecycleTriggers triggers)
{
    public async Task<Result<SignInOutcome>> SignInAsync(UserPool pool, UserPoolClient client, string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        var user = await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false);
        if (user is null && Triggers.UserMigration.Configured(pool))
        {
            var migrated = await migration.MigrateAsync(pool, client, username, password, cancellationToken).ConfigureAwait(false);
            if (!migrated.IsSuccess)
            {
                return migrated.Error!;
            }

            user = migrated.Value;
        }

        if (user is null)
        {
            if (SignInRules.HidesUnknownUsers(client))
            {
                unknown.SpendPasswordCheck(password);
            }

            return SignInRules.UnknownUser(client);
        }

        if (SignInLockout.IsLockedOut(user.Failures, time.GetUtcNow()))
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        if (await triggers.PreAuthenticationAsync(pool, client.ClientId, user, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var check = PasswordCheck.Mismatch;
        if (user.Password is { } credential)
        {
            check = hashes.Verify(credential.Hash, password);
        }
        else
        {
            unknown.SpendPasswordCheck(password);
        }

        if (check == PasswordCheck.Mismatch)
        {
            await attempts.FailedAsync(user, cancellationToken).ConfigureAwait(false);
            return UserPoolErrors.IncorrectUsernameOrPassword;
        }

        var recorded = await attempts.SucceededAsync(user, check == PasswordCheck.MatchRehashNeeded ? password : null, cancellationToken)
            .ConfigureAwait(false);
        return recorded.IsSuccess
            ? await steps.PasswordVerifiedAsync(new SignInContext(pool, client, recorded.Value), password, cancellationToken).ConfigureAwait(false)
            : recorded.Error!;
    }
}
