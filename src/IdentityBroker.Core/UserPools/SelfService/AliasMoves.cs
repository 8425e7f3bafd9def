using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>Marking an email or phone number verified, and moving a verified alias from its holder (ForceAliasCreation).</summary>
internal static class AliasMoves
{
    public static PoolUser MarkVerified(PoolUser user, string? attribute)
    {
        if (attribute is null || user.Attribute(attribute) is null)
        {
            return user;
        }

        return user with
        {
            Attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal) { [attribute + "_verified"] = "true" },
        };
    }

    /// <summary>The holder of <paramref name="user"/>'s <paramref name="attribute"/> as an alias has it marked unverified, which frees it.</summary>
    public static async Task<AwsError?> ReleaseAsync(
        UserWrites writes, UserLookup lookup, UserPool pool, PoolUser user, string attribute, CancellationToken cancellationToken)
    {
        if (user.Attribute(attribute) is not { } value
            || await lookup.FindAsync(pool, value, cancellationToken).ConfigureAwait(false) is not { } holder
            || holder.Sub == user.Sub)
        {
            return null;
        }

        var flag = attribute + "_verified";
        var changed = await writes.ChangeAsync(pool.Id, holder.Sub, (_, current) => current with
        {
            Attributes = new Dictionary<string, string>(current.Attributes, StringComparer.Ordinal) { [flag] = "false" },
        }, cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? null : changed.Error;
    }

    /// <summary>
    /// What a client with PreventUserExistenceErrors answers for an unknown user instead of UserNotFoundException: a
    /// delivery that looks like one (a username of email or phone format is masked as its own destination).
    /// </summary>
    public static CodeDeliveryDetails PlausibleDelivery(string username) =>
        UserAttributeRules.LooksLikePhoneNumber(username)
            ? CodeDeliveryDetails.For(StandardAttributes.PhoneNumber, username)
            : CodeDeliveryDetails.For(StandardAttributes.Email, UserAttributeRules.LooksLikeEmail(username) ? username : username + "@example.com");
}
