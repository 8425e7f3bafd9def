using IdentityBroker.Pools;

namespace IdentityBroker.Mapping;

/// <summary>
/// One rule of a Rules mapping against one login's claims (Amazon Cognito Developer Guide, "Using role-based access control", rule-based mapping). Comparisons are ordinal (case-sensitive), as
/// Cognito documents no case folding. Multi-valued claims (arrays such as <c>cognito:groups</c>, repeated SAML
/// attribute values) are undocumented in Cognito; the broker's rule, chosen so that a list behaves like a set of
/// memberships: Equals, StartsWith and Contains match when ANY value matches; NotEqual matches only when NO value equals
/// (so a user in groups [a, b] does not match <c>NotEqual a</c>). A rule whose claim is absent never matches; for NotEqual
/// that is Cognito's documented "skipped".
/// </summary>
public static class ClaimRules
{
    public const string EqualsType = "Equals";
    public const string ContainsType = "Contains";
    public const string StartsWithType = "StartsWith";
    public const string NotEqualType = "NotEqual";

    public static bool Matches(MappingRule rule, MappingLogin login)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(login);
        if (rule.Claim is not { } claim || rule.Value is not { } expected || login.Claim(claim) is not { } values)
        {
            return false;
        }

        return rule.MatchType switch
        {
            EqualsType => values.Any(v => string.Equals(v, expected, StringComparison.Ordinal)),
            ContainsType => values.Any(v => v.Contains(expected, StringComparison.Ordinal)),
            StartsWithType => values.Any(v => v.StartsWith(expected, StringComparison.Ordinal)),
            NotEqualType => values.All(v => !string.Equals(v, expected, StringComparison.Ordinal)),
            _ => false,
        };
    }
}
