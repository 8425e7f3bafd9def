namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// The group claims of a user's tokens, decided from the groups alone (no store, no clock): <c>cognito:groups</c>,
/// <c>cognito:roles</c> and <c>cognito:preferred_role</c>. The rule is CreateGroup's Precedence (cognito-idp API reference):
/// zero is the highest precedence; a group with a lower value takes precedence over one with a higher or null value; groups
/// of equal precedence tie, and a tie between different role ARNs leaves <c>cognito:preferred_role</c> unset.
/// </summary>
public sealed record GroupRoles(IReadOnlyList<string> Groups, IReadOnlyList<string> Roles, string? PreferredRole)
{
    public static GroupRoles Of(IReadOnlyList<GroupClaim> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var ordered = groups.OrderBy(g => g.Precedence ?? long.MaxValue).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var withRoles = ordered.Where(g => !string.IsNullOrEmpty(g.RoleArn)).ToList();
        var roles = withRoles.Select(g => g.RoleArn!).Distinct(StringComparer.Ordinal).ToList();
        return new GroupRoles([.. ordered.Select(g => g.Name)], roles, Preferred(withRoles));
    }

    private static string? Preferred(List<GroupClaim> withRoles)
    {
        if (withRoles.Count == 0)
        {
            return null;
        }

        var best = withRoles[0].Precedence;
        var tied = withRoles.Where(g => g.Precedence == best).Select(g => g.RoleArn!).Distinct(StringComparer.Ordinal).ToList();
        return tied.Count == 1 ? tied[0] : null;
    }
}
