using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>PreSignUp's autoConfirmUser, autoVerifyEmail and autoVerifyPhone applied to the user about to be stored.</summary>
public static class AutoConfirmation
{
    /// <summary>
    /// autoConfirmUser: CONFIRMED instead of UNCONFIRMED. The verify flags mark the attribute verified when the user has it
    /// (a flag for an attribute the user lacks changes nothing).
    /// </summary>
    public static PoolUser Apply(PoolUser user, PreSignUpDecision decision)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision == PreSignUpDecision.None)
        {
            return user;
        }

        var attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
        if (decision.AutoVerifyEmail && attributes.ContainsKey(StandardAttributes.Email))
        {
            attributes["email_verified"] = "true";
        }

        if (decision.AutoVerifyPhone && attributes.ContainsKey(StandardAttributes.PhoneNumber))
        {
            attributes["phone_number_verified"] = "true";
        }

        return user with
        {
            Attributes = attributes,
            UserStatus = decision.AutoConfirmUser && user.UserStatus == UserStatuses.Unconfirmed ? UserStatuses.Confirmed : user.UserStatus,
        };
    }
}
