using IdentityBroker.Errors;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// SetUserMFAPreference and AdminSetUserMFAPreference: each factor given is enabled or disabled and may be made the
/// preferred one; a factor left out keeps its state. A factor is enabled only when the user can receive it: a verified
/// software token, a phone_number, an email.
/// </summary>
public sealed class MfaPreferenceOperations(UserWrites users)
{
    public async Task<Result<Unit>> SetAsync(SetMfaPreference command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var stored = await users.ChangeAsync(command.User.UserPoolId, command.User.Username,
            (_, user) => Apply(user, command), cancellationToken).ConfigureAwait(false);
        return stored.IsSuccess ? Unit.Value : stored.Error!;
    }

    /// <summary>The user with the preferences applied, or the first refusal.</summary>
    public static Result<PoolUser> Apply(PoolUser user, SetMfaPreference command)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(command);
        (string Kind, MfaFactorPreference? Given, bool Current, bool Deliverable)[] factors =
        [
            (MfaKinds.Sms, command.Sms, user.Mfa.SmsEnabled, user.Attribute(StandardAttributes.PhoneNumber) is not null),
            (MfaKinds.SoftwareToken, command.SoftwareToken, user.Mfa.TotpEnabled, user.Mfa.TotpSecret is not null),
            (MfaKinds.Email, command.Email, user.Mfa.EmailEnabled, user.Attribute(StandardAttributes.Email) is not null),
        ];
        if (factors.Count(f => f.Given?.Preferred == true) > 1)
        {
            return MfaErrors.TwoPreferred;
        }

        var enabled = new Dictionary<string, bool>(StringComparer.Ordinal);
        var preferred = user.Mfa.PreferredMethod;
        foreach (var (kind, given, current, deliverable) in factors)
        {
            if (given?.Enabled == true && !deliverable)
            {
                return MfaErrors.NoDeliveryFor(kind);
            }

            enabled[kind] = given?.Enabled ?? current;
            if (given?.Preferred == true && !enabled[kind])
            {
                return MfaErrors.PreferredNotEnabled(kind);
            }

            preferred = given?.Preferred switch
            {
                true => kind,
                false when preferred == kind => null,
                _ => preferred,
            };
        }

        // Disabling the preferred factor leaves no preference.
        preferred = preferred is not null && enabled[preferred] ? preferred : null;
        return user with
        {
            Mfa = user.Mfa with
            {
                SmsEnabled = enabled[MfaKinds.Sms],
                TotpEnabled = enabled[MfaKinds.SoftwareToken],
                EmailEnabled = enabled[MfaKinds.Email],
                PreferredMethod = preferred,
            },
        };
    }
}
