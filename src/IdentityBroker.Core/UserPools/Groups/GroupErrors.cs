using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Groups;

/// <summary>The group errors with Cognito's wording.</summary>
public static class GroupErrors
{
    /// <summary>
    /// CreateGroup with a taken name. Cognito's message names no group (seen in aws-amplify/amplify-backend#1781 and in
    /// application logs quoting the service: "A group with the name already exists.").
    /// </summary>
    public static AwsError GroupExists { get; } = new("GroupExistsException", "A group with the name already exists.");

    /// <summary>A group missing from an existing pool (aws-amplify/amplify-cli#2214: "ResourceNotFoundException: Group not found.").</summary>
    public static AwsError GroupNotFound { get; } = new("ResourceNotFoundException", "Group not found.");
}
