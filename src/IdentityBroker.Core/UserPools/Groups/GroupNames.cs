namespace IdentityBroker.UserPools.Groups;

/// <summary>
/// Group names are unique in a pool without regard to case: Cognito refuses CreateGroup for <c>Admins</c> while
/// <c>ADMINS</c> exists (GroupExistsException; aws-amplify/amplify-backend#1781, "changing the casing of a group will lead
/// to this error"). The stores key groups by this form and keep the name as created.
/// </summary>
public static class GroupNames
{
    public static string Key(string groupName)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        return groupName.ToUpperInvariant();
    }
}
