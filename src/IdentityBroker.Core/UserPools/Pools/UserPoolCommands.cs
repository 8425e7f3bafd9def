namespace IdentityBroker.UserPools.Pools;

public sealed record CreateUserPool(
    string PoolName, UserPoolSettings Settings, IReadOnlyList<string>? UsernameAttributes, IReadOnlyList<string>? AliasAttributes);

public sealed record DescribeUserPool(string UserPoolId);

public sealed record ListUserPools(int MaxResults, string? NextToken);

/// <summary>UpdateUserPool: every setting replaced; the name only when <paramref name="PoolName"/> is given.</summary>
public sealed record UpdateUserPool(string UserPoolId, string? PoolName, UserPoolSettings Settings);

public sealed record DeleteUserPool(string UserPoolId);
