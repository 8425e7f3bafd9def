namespace IdentityBroker.UserPools.Groups;

/// <summary>A group of a user pool (GroupType), as CreateGroup makes it and GetGroup returns it.</summary>
/// <param name="GroupName">The name as created; unique in its pool regardless of case (<see cref="GroupNames.Key"/>).</param>
/// <param name="RoleArn">The IAM role the group gives its members through an identity pool (cognito:roles, cognito:preferred_role).</param>
/// <param name="Precedence">0 is the highest; null ranks below every number (GroupType in the service model).</param>
public sealed record UserPoolGroup(
    string UserPoolId,
    string GroupName,
    string? Description,
    string? RoleArn,
    int? Precedence,
    DateTimeOffset CreationDate,
    DateTimeOffset LastModifiedDate);
