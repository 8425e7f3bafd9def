namespace IdentityBroker.UserPools.Groups;

public sealed record CreateGroup(string UserPoolId, string GroupName, string? Description, string? RoleArn, int? Precedence);

public sealed record GetGroup(string UserPoolId, string GroupName);

/// <summary>
/// UpdateGroup: each of Description, RoleArn and Precedence is changed only when the request gives it (the API
/// reference's UpdateGroup example leaves RoleArn out and answers with the group's RoleArn kept).
/// </summary>
public sealed record UpdateGroup(string UserPoolId, string GroupName, string? Description, string? RoleArn, int? Precedence);

public sealed record DeleteGroup(string UserPoolId, string GroupName);

public sealed record ListGroups(string UserPoolId, int Limit, string? NextToken);

public sealed record AdminAddUserToGroup(string UserPoolId, string Username, string GroupName);

public sealed record AdminRemoveUserFromGroup(string UserPoolId, string Username, string GroupName);

public sealed record AdminListGroupsForUser(string UserPoolId, string Username, int Limit, string? NextToken);

public sealed record ListUsersInGroup(string UserPoolId, string GroupName, int Limit, string? NextToken);
