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
    public Task<Result<SignInOutcome>> SignInAsync(UserPool pool, UserPoolClient client, string username, string password, CancellationToken cancellationToken,
        Triggers.TriggerInputs? inputs = null) =>
        SignInAsync(pool, client, username, password, hosted: false, cancellationToken, inputs);

    /// <param name="hosted">The hosted UI's sign-in (<see cref="SignInContext.Hosted"/>).</param>
    public async Task<Result<SignInOutcome>> SignInAsync(
        UserPool pool, UserPoolClient client, string username, string password, bool hosted, CancellationToken cancellationToken,
        Triggers.TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        var user = await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false);
        if (user is null && Triggers.UserMigration.Configured(pool))
        {
            var migrated = await migration.MigrateAsync(pool, client, username, password, cancellationToken, inputs).ConfigureAwait(false);
            if (!migrated.IsSuccess)
            {
                return migrated.Error!;
            }

            user = migrated.Value;
        }

        if (user is null)
        {
            if (!SignInRules.HidesUnknownUsers(client))
            {
                return UserErrors.UserNotFound;
            }

            return await triggers.PreAuthenticationUnknownAsync(pool, client.ClientId, username, cancellationToken, inputs).ConfigureAwait(false)
                ?? await UnknownAsync(pool, username, password, cancellationToken).ConfigureAwait(false);
        }

        if (SignInLockout.IsLockedOut(user.Failures, time.GetUtcNow()))
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        if (await triggers.PreAuthenticationAsync(pool, client.ClientId, user, cancellationToken, inputs).ConfigureAwait(false) is { } refused)
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
            ? await steps.PasswordVerifiedAsync(new SignInContext(pool, client, recorded.Value) { Hosted = hosted }, password, cancellationToken).ConfigureAwait(false)
            : recorded.Error!;
    }

    /// <summary>An unknown name, existence hidden: the same lockout, password check and one failure write as a user's wrong password.</summary>
    private async Task<Result<SignInOutcome>> UnknownAsync(UserPool pool, string username, string password, CancellationToken cancellationToken)
    {
        var name = await unknown.FindAsync(pool, await unknown.UserIdAsync(pool, username, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        if (unknown.IsLockedOut(name))
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        unknown.SpendPasswordCheck(password);
        await unknown.FailedAsync(name, cancellationToken).ConfigureAwait(false);
        return UserPoolErrors.IncorrectUsernameOrPassword;
    }
}
