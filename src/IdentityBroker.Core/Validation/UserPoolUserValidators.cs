using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// User operation inputs. Wire paths are the model member names, first letter lower-cased; list members are numbered
// from 1 (userAttributes.1.member.name), as StructureChecks does.

internal sealed class AdminCreateUserRequestValidator : AbstractValidator<AdminCreateUserRequest>
{
    public AdminCreateUserRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
        RuleFor(r => r.UserAttributes).Custom((list, context) => UserChecks.Attributes(context, "userAttributes", list));
        RuleFor(r => r.ValidationData).Custom((list, context) => UserChecks.Attributes(context, "validationData", list));
        RuleFor(r => r.TemporaryPassword).ModelString("temporaryPassword", UserPoolUserShapes.PasswordType);
        RuleFor(r => r.MessageAction).Custom((value, context) =>
            ModelChecks.Enum(context, "messageAction", value, UserPoolUserShapes.MessageActionType, required: false));
        RuleFor(r => r.DesiredDeliveryMediums).Custom((list, context) =>
            ModelChecks.EnumList(context, "desiredDeliveryMediums", list, UserPoolUserShapes.DeliveryMediumType));
        RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class AdminUserRequestValidator : AbstractValidator<AdminUserRequest>
{
    public AdminUserRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
        RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class ListUsersRequestValidator : AbstractValidator<ListUsersRequest>
{
    public ListUsersRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.AttributesToGet).Custom((list, context) => ModelChecks.StringList(context, "attributesToGet", list,
            UserPoolShapes.Unbounded, UserPoolUserShapes.AttributeNameType, required: false));
        RuleFor(r => r.Limit).ModelInteger("limit", UserPoolUserShapes.QueryLimitType);
        RuleFor(r => r.PaginationToken).ModelString("paginationToken", UserPoolUserShapes.SearchPaginationTokenType);
        RuleFor(r => r.Filter).ModelString("filter", UserPoolUserShapes.UserFilterType);
    }
}

internal sealed class AdminUpdateUserAttributesRequestValidator : AbstractValidator<AdminUpdateUserAttributesRequest>
{
    public AdminUpdateUserAttributesRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
        RuleFor(r => r.UserAttributes).Custom((list, context) =>
        {
            ModelChecks.Required(context, "userAttributes", list);
            UserChecks.Attributes(context, "userAttributes", list);
        });
        RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class AdminDeleteUserAttributesRequestValidator : AbstractValidator<AdminDeleteUserAttributesRequest>
{
    public AdminDeleteUserAttributesRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
        RuleFor(r => r.UserAttributeNames).Custom((list, context) => ModelChecks.StringList(context, "userAttributeNames", list,
            UserPoolShapes.Unbounded, UserPoolUserShapes.AttributeNameType, required: true));
    }
}

internal sealed class AdminSetUserPasswordRequestValidator : AbstractValidator<AdminSetUserPasswordRequest>
{
    public AdminSetUserPasswordRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
        RuleFor(r => r.Password).ModelString("password", UserPoolUserShapes.PasswordType, required: true);
    }
}

internal sealed class AddCustomAttributesRequestValidator : AbstractValidator<AddCustomAttributesRequest>
{
    public AddCustomAttributesRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.CustomAttributes).Custom((list, context) =>
        {
            if (list is null)
            {
                ModelChecks.Fail(context, "customAttributes", Echo.Null("customAttributes"));
                return;
            }

            ModelChecks.Count(context, "customAttributes", list.Count, UserPoolUserShapes.CustomAttributesListType, echoed: false, null, null);
            UserChecks.Schema(context, "customAttributes", list);
        });
    }
}

/// <summary>The nested user shapes: AttributeType lists, SchemaAttributeType lists, ClientMetadataType.</summary>
internal static class UserChecks
{
    public static void Attributes<T>(ValidationContext<T> context, string path, List<AttributeShape>? list)
    {
        for (var i = 0; list is not null && i < list.Count; i++)
        {
            var itemPath = $"{path}.{i + 1}.member";
            if (list[i] is not { } attribute)
            {
                ModelChecks.Fail(context, itemPath, Echo.Null(itemPath));
                continue;
            }

            ModelChecks.String(context, itemPath + ".name", attribute.Name, UserPoolUserShapes.AttributeNameType, required: true);
            ModelChecks.String(context, itemPath + ".value", attribute.Value, UserPoolUserShapes.AttributeValueType, required: false);
        }
    }

    public static void Schema<T>(ValidationContext<T> context, string path, List<SchemaAttributeShape>? list)
    {
        for (var i = 0; list is not null && i < list.Count; i++)
        {
            var itemPath = $"{path}.{i + 1}.member";
            if (list[i] is not { } attribute)
            {
                ModelChecks.Fail(context, itemPath, Echo.Null(itemPath));
                continue;
            }

            ModelChecks.String(context, itemPath + ".name", attribute.Name, UserPoolUserShapes.CustomAttributeNameType, required: false);
            ModelChecks.Enum(context, itemPath + ".attributeDataType", attribute.AttributeDataType, UserPoolUserShapes.AttributeDataType, false);
            var s = attribute.StringAttributeConstraints;
            var n = attribute.NumberAttributeConstraints;
            ModelChecks.String(context, itemPath + ".stringAttributeConstraints.minLength", s?.MinLength, UserPoolUserShapes.StringType, false);
            ModelChecks.String(context, itemPath + ".stringAttributeConstraints.maxLength", s?.MaxLength, UserPoolUserShapes.StringType, false);
            ModelChecks.String(context, itemPath + ".numberAttributeConstraints.minValue", n?.MinValue, UserPoolUserShapes.StringType, false);
            ModelChecks.String(context, itemPath + ".numberAttributeConstraints.maxValue", n?.MaxValue, UserPoolUserShapes.StringType, false);
        }
    }

    public static void ClientMetadata<T>(ValidationContext<T> context, Dictionary<string, string>? map) =>
        ModelChecks.StringMap(context, "clientMetadata", map, UserPoolShapes.Unbounded, UserPoolUserShapes.StringType,
            UserPoolUserShapes.StringType, required: false);
}
