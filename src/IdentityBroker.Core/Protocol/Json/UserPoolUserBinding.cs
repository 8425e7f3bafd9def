using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a user request shape that passed model validation to its command, with Cognito's defaults filled in.</summary>
internal static class UserPoolUserBinding
{
    /// <summary>ListUsers without a Limit (or with 0) returns up to 60 users, the model's maximum.</summary>
    private const int DefaultLimit = 60;

    public static AdminCreateUser AdminCreateUser(AdminCreateUserRequest r) => new(
        r.UserPoolId!,
        r.Username!,
        Attributes(r.UserAttributes),
        r.TemporaryPassword,
        r.ForceAliasCreation ?? false,
        r.MessageAction,
        r.DesiredDeliveryMediums ?? [])
    {
        Inputs = new(r.ClientMetadata, AttributeShape.Map(r.ValidationData)),
    };

    public static UserReference User(AdminUserRequest r) => new(r.UserPoolId!, r.Username!);

    public static ListUsers ListUsers(ListUsersRequest r) =>
        new(r.UserPoolId!, r.Limit is > 0 and { } limit ? limit : DefaultLimit, r.PaginationToken, r.AttributesToGet, r.Filter);

    public static AdminUpdateUserAttributes AdminUpdateUserAttributes(AdminUpdateUserAttributesRequest r) =>
        new(r.UserPoolId!, r.Username!, Attributes(r.UserAttributes));

    public static AdminDeleteUserAttributes AdminDeleteUserAttributes(AdminDeleteUserAttributesRequest r) =>
        new(r.UserPoolId!, r.Username!, r.UserAttributeNames!);

    public static AdminSetUserPassword AdminSetUserPassword(AdminSetUserPasswordRequest r) =>
        new(r.UserPoolId!, r.Username!, r.Password!, r.Permanent ?? false);

    public static AddCustomAttributes AddCustomAttributes(AddCustomAttributesRequest r) =>
        new(r.UserPoolId!, [.. r.CustomAttributes!.Select(Schema)]);

    /// <summary>CreateUserPool's Schema: a standard attribute keeps its name, any other is custom (<c>custom:&lt;name&gt;</c>).</summary>
    public static IReadOnlyList<SchemaAttribute> PoolSchema(IEnumerable<SchemaAttributeShape> schema) =>
        [.. schema.Select(Schema).Select(a => StandardAttributes.IsStandard(a.Name) ? a : a with { Name = StandardAttributes.CustomPrefix + a.Name })];

    /// <summary>The defaults of SchemaAttributeType: a String, mutable, not required, not developer-only.</summary>
    private static SchemaAttribute Schema(SchemaAttributeShape s) => new(
        s.Name ?? string.Empty,
        s.AttributeDataType ?? "String",
        s.DeveloperOnlyAttribute ?? false,
        s.Mutable ?? true,
        s.Required ?? false,
        s.StringAttributeConstraints?.MinLength,
        s.StringAttributeConstraints?.MaxLength,
        s.NumberAttributeConstraints?.MinValue,
        s.NumberAttributeConstraints?.MaxValue);

    private static List<UserAttribute> Attributes(List<AttributeShape>? attributes) =>
        [.. (attributes ?? []).Select(a => new UserAttribute(a.Name!, a.Value ?? string.Empty))];
}
