using IdentityBroker.Errors;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Risk;

/// <summary>
/// The SIGN_IN compromised-credentials check, run by <see cref="SignInSteps.PasswordVerifiedAsync"/> once the password is
/// proven. As Cognito's documentation describes BLOCK at sign-in, the user's status becomes RESET_REQUIRED, so every later
/// sign-in answers PasswordResetRequiredException until the password is reset (ForgotPassword or AdminResetUserPassword).
/// After SRP the broker never holds the password, so SRP sign-ins are not checked — as the Cognito developer guide notes
/// for its own SRP flow; such passwords are checked when set (sign-up, change, reset).
/// </summary>
public sealed class CompromisedSignIn(CompromisedPasswordGate gate, UserWrites writes)
{
    /// <returns>Null to go on; otherwise the error to answer.</returns>
    public async Task<AwsError?> CheckAsync(SignInContext context, string? clearPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (clearPassword is null
            || !await gate.IsBlockedAsync(context.Pool, context.Client.ClientId, clearPassword, RiskEvents.SignIn, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var changed = await writes.ChangeAsync(context.Pool.Id, context.User.Sub,
            (_, user) => user with { UserStatus = UserStatuses.ResetRequired }, cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? SignInErrors.PasswordResetRequired : changed.Error;
    }
}
