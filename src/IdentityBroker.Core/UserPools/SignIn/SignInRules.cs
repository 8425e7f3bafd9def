using IdentityBroker.Errors;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// What refuses a user whose password was just proven, in Cognito's order: disabled, not confirmed, reset required, an
/// expired temporary password. Checked only after the proof, so that these answers tell nothing to someone without the
/// password (with PreventUserExistenceErrors they would otherwise reveal the account).
/// </summary>
public static class SignInRules
{
    public static AwsError? Refusal(PoolUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.Enabled)
        {
            return SignInErrors.UserDisabled;
        }

        return user.UserStatus switch
        {
            UserStatuses.Unconfirmed => SignInErrors.UserNotConfirmed,
            UserStatuses.ResetRequired => SignInErrors.PasswordResetRequired,
            UserStatuses.ForceChangePassword when user.Password?.TemporaryExpiresAt is { } expires && now >= expires =>
                SignInErrors.TemporaryPasswordExpired,
            _ => null,
        };
    }

    /// <summary>PreventUserExistenceErrors ENABLED: an unknown user is answered as a wrong password.</summary>
    public static bool HidesUnknownUsers(Pools.UserPoolClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.Equals(client.Settings.PreventUserExistenceErrors, "ENABLED", StringComparison.Ordinal);
    }

    public static AwsError UnknownUser(Pools.UserPoolClient client) =>
        HidesUnknownUsers(client) ? UserPoolErrors.IncorrectUsernameOrPassword : UserErrors.UserNotFound;
}
