namespace IdentityBroker.UserPools.Pools;

public sealed record CreateUserPool(
    string PoolName, UserPoolSettings Settings, IReadOnlyList<string>? UsernameAttributes, IReadOnlyList<string>? AliasAttributes)
{
    /// <summary>Kept on the pool as given (docs/user-pools.md, "Users").</summary>
    public Users.UsernameConfiguration? UsernameConfiguration { get; init; }

    /// <summary>Standard attributes configured and custom attributes (named <c>custom:…</c>).</summary>
    public IReadOnlyList<Users.SchemaAttribute>? Schema { get; init; }
}

public sealed record DescribeUserPool(string UserPoolId);

public sealed record ListUserPools(int MaxResults, string? NextToken);

/// <summary>UpdateUserPool: every setting replaced; the name only when <paramref name="PoolName"/> is given.</summary>
public sealed record UpdateUserPool(string UserPoolId, string? PoolName, UserPoolSettings Settings);

public sealed record DeleteUserPool(string UserPoolId);

public sealed record CreateUserPoolClient(string UserPoolId, bool GenerateSecret, UserPoolClientSettings Settings);

public sealed record DescribeUserPoolClient(string UserPoolId, string ClientId);

public sealed record ListUserPoolClients(string UserPoolId, int MaxResults, string? NextToken);

/// <summary>UpdateUserPoolClient: every setting replaced; the name kept when <paramref name="ClientName"/> is not given.</summary>
public sealed record UpdateUserPoolClient(string UserPoolId, string ClientId, string? ClientName, UserPoolClientSettings Settings);

public sealed record DeleteUserPoolClient(string UserPoolId, string ClientId);
