namespace IdentityBroker.UserPools.Users;

/// <summary>
/// One attribute of a pool's schema (SchemaAttributeType): a standard attribute whose settings CreateUserPool's Schema
/// gave, or a custom attribute (from Schema or AddCustomAttributes). <see cref="Name"/> is as the wire names it in
/// DescribeUserPool: <c>email</c>, <c>custom:tier</c>.
/// </summary>
public sealed record SchemaAttribute(
    string Name,
    string AttributeDataType,
    bool DeveloperOnlyAttribute,
    bool Mutable,
    bool Required,
    string? MinLength,
    string? MaxLength,
    string? MinValue,
    string? MaxValue)
{
    /// <summary>A pool may have at most 50 custom attributes (Cognito quotas, "Custom attributes": 50 per pool).</summary>
    public const int MaxCustomAttributes = 50;
}

/// <summary>UsernameConfigurationType. Left out at creation, usernames are case sensitive (the model: true "is the default value").</summary>
public sealed record UsernameConfiguration(bool CaseSensitive);
