namespace IdentityBroker.UserPools.Groups;

/// <summary>The group claims of a user's ID and access tokens.</summary>
/// <param name="Groups"><c>cognito:groups</c>: the names of the user's groups, in the order given.</param>
/// <param name="Roles"><c>cognito:roles</c>: the distinct role ARNs of those groups, highest precedence first.</param>
/// <param name="PreferredRole"><c>cognito:preferred_role</c>, or null when no group decides it.</param>
public sealed record GroupClaims(IReadOnlyList<string> Groups, IReadOnlyList<string> Roles, string? PreferredRole)
{
    public static readonly GroupClaims None = new([], [], null);
}

/// <summary>
/// From a user's groups to the roles their tokens carry. No store and no clock: the token layer passes the groups it
/// read. The rule is the one the service model (GroupType.Precedence, CreateGroup) and the API reference state:
/// Precedence 0 is the highest; a group without Precedence ranks below every group with one; the preferred role is
/// the RoleArn of the highest-ranked group that has a role; when several groups share that rank ("neither group takes
/// precedence over the other"), it is their role if they all have the same one, and the claim is not set if their
/// roles differ.
/// </summary>
public static class GroupRoles
{
    public static GroupClaims For(IReadOnlyList<UserPoolGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0)
        {
            return GroupClaims.None;
        }

        var withRoles = groups
            .Select((group, index) => (group, index))
            .Where(g => g.group.RoleArn is not null)
            .OrderBy(g => Rank(g.group.Precedence))
            .ThenBy(g => g.index)
            .Select(g => g.group)
            .ToList();
        var roles = withRoles.Select(g => g.RoleArn!).Distinct(StringComparer.Ordinal).ToList();
        return new GroupClaims([.. groups.Select(g => g.GroupName)], roles, Preferred(withRoles));
    }

    /// <summary>The role of the top-ranked groups with a role, when they agree on one.</summary>
    private static string? Preferred(List<UserPoolGroup> rankedWithRoles)
    {
        if (rankedWithRoles.Count == 0)
        {
            return null;
        }

        var top = Rank(rankedWithRoles[0].Precedence);
        var tied = rankedWithRoles.TakeWhile(g => Rank(g.Precedence) == top).Select(g => g.RoleArn!).Distinct(StringComparer.Ordinal).ToList();
        return tied.Count == 1 ? tied[0] : null;
    }

    /// <summary>Lower ranks first; no Precedence after every number (the model: "higher or null Precedence values").</summary>
    private static long Rank(int? precedence) => precedence ?? (long)int.MaxValue + 1;
}
