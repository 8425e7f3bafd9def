namespace IdentityBroker.UserPools.Groups;

public sealed record CreateGroup(string UserPoolId, string GroupName, string? Description, string? RoleArn, int? Precedence);

public sealed record GetGroup(string UserPoolId, string GroupName);

/// <summary>UpdateGroup: each of Description, RoleArn and Precedence is changed only when the request gives it.</summary>
public sealed record UpdateGroup(string UserPoolId, string GroupName, string? Description, string? RoleArn, int? Precedence);

public sealed record DeleteGroup(string UserPoolId, string GroupName);

public sealed record ListGroups(string UserPoolId, int Limit, string? NextToken);
