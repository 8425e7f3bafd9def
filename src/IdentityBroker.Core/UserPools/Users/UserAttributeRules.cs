using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// Which attribute names a pool knows (the standard ones and its custom ones) and the formats Cognito checks on write:
/// <c>email</c> an address, <c>phone_number</c> E.164 (<c>+</c> and up to 15 digits, developer guide "User pool
/// attributes"), the <c>_verified</c> flags <c>true</c> or <c>false</c>.
/// </summary>
public static partial class UserAttributeRules
{
    public static bool IsKnown(UserPool pool, string name)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return StandardAttributes.IsStandard(name)
            || (StandardAttributes.IsCustom(name) && (pool.Schema ?? []).Any(a => a.Name == name));
    }

    /// <summary>Names the pool does not know, in the order given.</summary>
    public static IReadOnlyList<string> Unknown(UserPool pool, IEnumerable<string> names) =>
        names.Where(n => !IsKnown(pool, n)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Null when every value has its attribute's format.</summary>
    public static AwsError? CheckValues(IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.ContainsKey(StandardAttributes.Sub))
        {
            return UserErrors.SubIsReadOnly;
        }

        if (attributes.TryGetValue(StandardAttributes.Email, out var email) && !Email().IsMatch(email))
        {
            return UserErrors.InvalidEmail;
        }

        if (attributes.TryGetValue(StandardAttributes.PhoneNumber, out var phone) && !Phone().IsMatch(phone))
        {
            return UserErrors.InvalidPhoneNumber;
        }

        foreach (var flag in new[] { StandardAttributes.EmailVerified, StandardAttributes.PhoneNumberVerified })
        {
            if (attributes.TryGetValue(flag, out var value) && value is not ("true" or "false"))
            {
                return UserPoolErrors.InvalidParameter($"Invalid value for {flag}: it is true or false.");
            }
        }

        return null;
    }

    public static bool LooksLikeEmail(string value) => Email().IsMatch(value);

    public static bool LooksLikePhoneNumber(string value) => Phone().IsMatch(value);

    [GeneratedRegex(@"\A[^@\s]+@[^@\s]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"\A\+[0-9]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
