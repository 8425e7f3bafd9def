using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the user operations of the Cognito User Pools API (service model cognito-idp
// 2016-04-18). Every member is nullable so that "missing" is told apart from a value.

public sealed class AdminCreateUserRequest : IModelRequest<AdminCreateUserRequest>
{
    public static IValidator<AdminCreateUserRequest> Validator { get; } = new AdminCreateUserRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }

    public List<AttributeShape>? UserAttributes { get; set; }

    public List<AttributeShape>? ValidationData { get; set; }

    public string? TemporaryPassword { get; set; }

    public bool? ForceAliasCreation { get; set; }

    public string? MessageAction { get; set; }

    public List<string>? DesiredDeliveryMediums { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

/// <summary>AdminGetUser, AdminDeleteUser, AdminEnableUser, AdminDisableUser and AdminConfirmSignUp (ClientMetadata) inputs.</summary>
public sealed class AdminUserRequest : IModelRequest<AdminUserRequest>
{
    public static IValidator<AdminUserRequest> Validator { get; } = new AdminUserRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class ListUsersRequest : IModelRequest<ListUsersRequest>
{
    public static IValidator<ListUsersRequest> Validator { get; } = new ListUsersRequestValidator();

    public string? UserPoolId { get; set; }

    public List<string>? AttributesToGet { get; set; }

    public int? Limit { get; set; }

    public string? PaginationToken { get; set; }

    public string? Filter { get; set; }
}

public sealed class AdminUpdateUserAttributesRequest : IModelRequest<AdminUpdateUserAttributesRequest>
{
    public static IValidator<AdminUpdateUserAttributesRequest> Validator { get; } = new AdminUpdateUserAttributesRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }

    public List<AttributeShape>? UserAttributes { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class AdminDeleteUserAttributesRequest : IModelRequest<AdminDeleteUserAttributesRequest>
{
    public static IValidator<AdminDeleteUserAttributesRequest> Validator { get; } = new AdminDeleteUserAttributesRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }

    public List<string>? UserAttributeNames { get; set; }
}

public sealed class AdminSetUserPasswordRequest : IModelRequest<AdminSetUserPasswordRequest>
{
    public static IValidator<AdminSetUserPasswordRequest> Validator { get; } = new AdminSetUserPasswordRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool? Permanent { get; set; }
}

public sealed class AddCustomAttributesRequest : IModelRequest<AddCustomAttributesRequest>
{
    public static IValidator<AddCustomAttributesRequest> Validator { get; } = new AddCustomAttributesRequestValidator();

    public string? UserPoolId { get; set; }

    public List<SchemaAttributeShape>? CustomAttributes { get; set; }
}

/// <summary>AttributeType.</summary>
public sealed class AttributeShape
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    /// <summary>A list as a name-to-value map (a repeated name keeps its last value); null for no list.</summary>
    public static Dictionary<string, string>? Map(List<AttributeShape>? list)
    {
        if (list is null)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in list)
        {
            map[attribute.Name ?? string.Empty] = attribute.Value ?? string.Empty;
        }

        return map;
    }
}

/// <summary>SchemaAttributeType, in CreateUserPool's Schema, AddCustomAttributes and DescribeUserPool's SchemaAttributes.</summary>
public sealed class SchemaAttributeShape
{
    public string? Name { get; set; }

    public string? AttributeDataType { get; set; }

    public bool? DeveloperOnlyAttribute { get; set; }

    public bool? Mutable { get; set; }

    public bool? Required { get; set; }

    public NumberAttributeConstraintsShape? NumberAttributeConstraints { get; set; }

    public StringAttributeConstraintsShape? StringAttributeConstraints { get; set; }
}

public sealed class NumberAttributeConstraintsShape
{
    public string? MinValue { get; set; }

    public string? MaxValue { get; set; }
}

public sealed class StringAttributeConstraintsShape
{
    public string? MinLength { get; set; }

    public string? MaxLength { get; set; }
}

public sealed class UsernameConfigurationShape
{
    public bool? CaseSensitive { get; set; }
}

/// <summary>MFAOptionType (the legacy SMS MFA setting).</summary>
public sealed class MfaOptionShape
{
    public string? DeliveryMedium { get; set; }

    public string? AttributeName { get; set; }
}

/// <summary>UserType, in AdminCreateUser's and ListUsers' replies.</summary>
public sealed class UserShape
{
    public string? Username { get; set; }

    public List<AttributeShape>? Attributes { get; set; }

    public double? UserCreateDate { get; set; }

    public double? UserLastModifiedDate { get; set; }

    public bool? Enabled { get; set; }

    public string? UserStatus { get; set; }

    public List<MfaOptionShape>? MFAOptions { get; set; }
}

public sealed class AdminCreateUserResponse
{
    public UserShape? User { get; set; }
}

public sealed class AdminGetUserResponse
{
    public string? Username { get; set; }

    public List<AttributeShape>? UserAttributes { get; set; }

    public double? UserCreateDate { get; set; }

    public double? UserLastModifiedDate { get; set; }

    public bool? Enabled { get; set; }

    public string? UserStatus { get; set; }

    public List<MfaOptionShape>? MFAOptions { get; set; }

    public string? PreferredMfaSetting { get; set; }

    public List<string>? UserMFASettingList { get; set; }
}

public sealed class ListUsersResponse
{
    public List<UserShape>? Users { get; set; }

    public string? PaginationToken { get; set; }
}
