namespace IdentityBroker.UserPools.Users;

/// <summary>One attribute of a request (AttributeType); a missing value reads as empty.</summary>
public sealed record UserAttribute(string Name, string Value);

/// <param name="MessageAction">null (send the invitation), RESEND or SUPPRESS.</param>
/// <param name="DeliveryMediums">EMAIL and/or SMS; Cognito's default is SMS.</param>
public sealed record AdminCreateUser(
    string UserPoolId,
    string Username,
    IReadOnlyList<UserAttribute> Attributes,
    string? TemporaryPassword,
    bool ForceAliasCreation,
    string? MessageAction,
    IReadOnlyList<string> DeliveryMediums)
{
    public const string Resend = "RESEND";
    public const string Suppress = "SUPPRESS";

    /// <summary>The request's ClientMetadata and ValidationData for PreSignUp_AdminCreateUser and CustomMessage_AdminCreateUser.</summary>
    public Triggers.TriggerInputs Inputs { get; init; } = Triggers.TriggerInputs.None;

    public override string ToString() => $"AdminCreateUser {{ UserPoolId = {UserPoolId} }}";
}

/// <summary>AdminGetUser, AdminDeleteUser, AdminEnableUser, AdminDisableUser, AdminConfirmSignUp: a pool and a user name.</summary>
public sealed record UserReference(string UserPoolId, string Username);

/// <param name="AttributesToGet">Only these attributes in each user; all when null.</param>
public sealed record ListUsers(string UserPoolId, int Limit, string? PaginationToken, IReadOnlyList<string>? AttributesToGet, string? Filter);

public sealed record AdminUpdateUserAttributes(string UserPoolId, string Username, IReadOnlyList<UserAttribute> Attributes);

public sealed record AdminDeleteUserAttributes(string UserPoolId, string Username, IReadOnlyList<string> Names);

public sealed record AdminSetUserPassword(string UserPoolId, string Username, string Password, bool Permanent)
{
    public override string ToString() => $"AdminSetUserPassword {{ UserPoolId = {UserPoolId}, Permanent = {Permanent} }}";
}

/// <summary>AddCustomAttributes: the attributes with their names as given (without <c>custom:</c>).</summary>
public sealed record AddCustomAttributes(string UserPoolId, IReadOnlyList<SchemaAttribute> Attributes);

/// <summary>A page of ListUsers, with the attributes each user shows.</summary>
public sealed record UserListing(IReadOnlyList<PoolUser> Users, string? PaginationToken, IReadOnlyList<string>? AttributesToGet);
