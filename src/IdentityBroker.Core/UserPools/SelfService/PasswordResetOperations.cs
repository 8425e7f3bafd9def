using IdentityBroker.Errors;
using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>ForgotPassword and ConfirmForgotPassword (unsigned), AdminResetUserPassword (signed).</summary>
public sealed class PasswordResetOperations(
    PublicClients clients, UserWrites writes, UserPasswords passwords, CompromisedPasswordGate compromised,
    VerificationCodes codes, Triggers.LifecycleTriggers triggers, Triggers.UserMigration migration)
{
    /// <summary>The API reference of ForgotPassword: neither a verified email nor a verified phone number.</summary>
    public static AwsError NoRecoveryDestination { get; } = UserPoolErrors.InvalidParameter(
        "Cannot reset password for the user as there is no registered/verified email or phone_number");

    /// <summary>A reset code to the user's verified email (else phone number). The password stays valid until it is reset.</summary>
    public async Task<Result<CodeDeliveryDetails>> ForgotPasswordAsync(UserCall command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await clients.FindUserAsync(command.Client, command.Username, cancellationToken).ConfigureAwait(false);
        if (found.IsSuccess ? found.Value.User is null : found.Error == UserErrors.UserNotFound)
        {
            found = await MigrateAsync(command, found, cancellationToken).ConfigureAwait(false);
        }

        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (pool, _, known) = found.Value;
        if (known is not { } user)
        {
            return AliasMoves.PlausibleDelivery(command.Username);
        }

        return VerificationCodes.RecoveryTarget(user) is { } target
            ? await codes.SendAsync(pool, user, CodePurpose.PasswordReset, target, cancellationToken, inputs: command.Inputs).ConfigureAwait(false)
            : NoRecoveryDestination;
    }

    /// <summary>
    /// UserMigration_ForgotPassword: a name the pool does not know may be in the directory the pool migrates from; the user
    /// is then created RESET_REQUIRED and gets the reset code. Without the trigger, or when it does not know the name
    /// either, <paramref name="unknown"/> is the answer.
    /// </summary>
    private async Task<Result<(UserPool Pool, UserPoolClient Client, PoolUser? User)>> MigrateAsync(
        UserCall command, Result<(UserPool Pool, UserPoolClient Client, PoolUser? User)> unknown, CancellationToken cancellationToken)
    {
        var opened = await clients.OpenAsync(command.Client, command.Username, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess || !Triggers.UserMigration.Configured(opened.Value.Pool))
        {
            return unknown;
        }

        var (pool, client) = opened.Value;
        var migrated = await migration.MigrateAsync(pool, client, command.Username, null, cancellationToken, command.Inputs).ConfigureAwait(false);
        if (!migrated.IsSuccess)
        {
            return migrated.Error!;
        }

        return migrated.Value is { } user ? (pool, client, user) : unknown;
    }

    /// <summary>
    /// The code and a new password: the password is checked (policy, history, compromised) before the code is used, so
    /// that a refused password leaves the code for another try. The user is CONFIRMED afterwards.
    /// </summary>
    public async Task<Result<Unit>> ConfirmForgotPasswordAsync(ConfirmForgotPassword command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await clients.FindUserAsync(command.Client, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (pool, client, user) = found.Value;
        if (user is null)
        {
            return CodeErrors.Mismatch;
        }

        var trial = passwords.Set(pool, user, command.Password, temporary: false);
        if (!trial.IsSuccess)
        {
            return trial.Error!;
        }

        if (await compromised.CheckAsync(pool, client.ClientId, command.Password, RiskEvents.PasswordChange, cancellationToken)
            .ConfigureAwait(false) is { } blocked)
        {
            return blocked;
        }

        if (await codes.CheckAsync(user, CodePurpose.PasswordReset, null, command.Code, cancellationToken).ConfigureAwait(false) is { } wrong)
        {
            return wrong;
        }

        var changed = await writes.ChangeAsync(pool.Id, user.Sub, (p, current) =>
        {
            var set = passwords.Set(p, current, command.Password, temporary: false);
            return set.IsSuccess ? set.Value with { UserStatus = UserStatuses.Confirmed } : set;
        }, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            return changed.Error!;
        }

        return await triggers.PostConfirmationAsync(pool, client.ClientId, changed.Value,
            Triggers.LifecycleTriggers.PostConfirmationConfirmForgotPassword, cancellationToken, command.Inputs).ConfigureAwait(false) is { } failed
            ? failed
            : Unit.Value;
    }

    /// <summary>
    /// AdminResetUserPassword: the user is RESET_REQUIRED (its password no longer signs in) and a reset code goes to its
    /// verified email, else phone number; with neither, nothing changes and InvalidParameterException is answered.
    /// </summary>
    public async Task<Result<Unit>> AdminResetAsync(UserReference command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (pool, found) = await writes.FindAsync(command.UserPoolId, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (VerificationCodes.RecoveryTarget(found.Value) is not { } target)
        {
            return NoRecoveryDestination;
        }

        var changed = await writes.ChangeAsync(pool!.Id, found.Value.Sub,
            (_, current) => current with { UserStatus = UserStatuses.ResetRequired }, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            return changed.Error!;
        }

        var sent = await codes.SendAsync(pool, changed.Value, CodePurpose.PasswordReset, target, cancellationToken).ConfigureAwait(false);
        return sent.IsSuccess ? Unit.Value : sent.Error!;
    }
}
