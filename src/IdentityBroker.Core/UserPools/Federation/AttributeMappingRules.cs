using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// A provider's AttributeMapping: pool attribute → provider attribute (claim or SAML attribute name). Every key must be
/// an attribute of the pool (a standard attribute other than <c>sub</c>, or a custom attribute of its schema) or
/// <c>username</c>, which Cognito maps to the provider's subject when the request leaves it out.
/// </summary>
public static class AttributeMappingRules
{
    public const string Username = "username";

    public static Result<IReadOnlyDictionary<string, string>> Check(
        UserPool pool, string providerType, IReadOnlyDictionary<string, string>? mapping)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, source) in mapping ?? new Dictionary<string, string>())
        {
            if (!IsPoolAttribute(pool, attribute))
            {
                return Result<IReadOnlyDictionary<string, string>>.Fail(IdentityProviderErrors.UnknownMappedAttribute(attribute));
            }

            result[attribute] = source;
        }

        result.TryAdd(Username, IdentityProviderTypes.SubjectClaim(providerType));
        return Result<IReadOnlyDictionary<string, string>>.Ok(result);
    }

    private static bool IsPoolAttribute(UserPool pool, string attribute) =>
        attribute == Username
        || (StandardAttributes.IsStandard(attribute) && attribute != StandardAttributes.Sub)
        || (StandardAttributes.IsCustom(attribute) && (pool.Schema ?? []).Any(a => a.Name == attribute));
}
