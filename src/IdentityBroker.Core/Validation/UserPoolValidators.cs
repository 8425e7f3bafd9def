using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// User-pool administration inputs: CreateUserPoolRequest, UpdateUserPoolRequest, the UserPoolId-only inputs
// (DescribeUserPool, DeleteUserPool), ListUserPoolsRequest. Wire paths are the model member names, first letter lower-cased.

internal sealed class CreateUserPoolRequestValidator : AbstractValidator<CreateUserPoolRequest>
{
    public CreateUserPoolRequestValidator()
    {
        RuleFor(r => r.PoolName).ModelString("poolName", UserPoolShapes.UserPoolNameType, required: true);
        RuleFor(r => r.Policies).Custom((policies, context) => UserPoolChecks.Policies(context, policies));
        RuleFor(r => r.DeletionProtection).Custom((value, context) =>
            ModelChecks.Enum(context, "deletionProtection", value, UserPoolShapes.DeletionProtectionType, required: false));
        RuleFor(r => r.AutoVerifiedAttributes).Custom((list, context) =>
            ModelChecks.EnumList(context, "autoVerifiedAttributes", list, UserPoolShapes.VerifiedAttributeType));
        RuleFor(r => r.AliasAttributes).Custom((list, context) =>
            ModelChecks.EnumList(context, "aliasAttributes", list, UserPoolShapes.AliasAttributeType));
        RuleFor(r => r.UsernameAttributes).Custom((list, context) =>
            ModelChecks.EnumList(context, "usernameAttributes", list, UserPoolShapes.UsernameAttributeType));
        RuleFor(r => r.MfaConfiguration).Custom((value, context) =>
            ModelChecks.Enum(context, "mfaConfiguration", value, UserPoolShapes.UserPoolMfaType, required: false));
        RuleFor(r => r.UserPoolTags).ModelStringMap("userPoolTags", UserPoolShapes.Unbounded, UserPoolShapes.TagKeysType,
            UserPoolShapes.TagValueType);
        RuleFor(r => r.Schema).Custom((list, context) => UserChecks.Schema(context, "schema", list));
        RuleFor(r => r).Custom((r, context) => PoolMessageChecks.Check(context, ((IUserPoolSettingsShape)r).Messages));
        RuleFor(r => r.LambdaConfig).Custom((config, context) => LambdaConfigChecks.Check(context, config));
        RuleFor(r => r.UsernameConfiguration).Custom((configuration, context) =>
        {
            if (configuration is not null)
            {
                ModelChecks.Required(context, "usernameConfiguration.caseSensitive", configuration.CaseSensitive);
            }
        });
    }
}

internal sealed class UpdateUserPoolRequestValidator : AbstractValidator<UpdateUserPoolRequest>
{
    public UpdateUserPoolRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Policies).Custom((policies, context) => UserPoolChecks.Policies(context, policies));
        RuleFor(r => r.DeletionProtection).Custom((value, context) =>
            ModelChecks.Enum(context, "deletionProtection", value, UserPoolShapes.DeletionProtectionType, required: false));
        RuleFor(r => r.AutoVerifiedAttributes).Custom((list, context) =>
            ModelChecks.EnumList(context, "autoVerifiedAttributes", list, UserPoolShapes.VerifiedAttributeType));
        RuleFor(r => r.MfaConfiguration).Custom((value, context) =>
            ModelChecks.Enum(context, "mfaConfiguration", value, UserPoolShapes.UserPoolMfaType, required: false));
        RuleFor(r => r.UserPoolTags).ModelStringMap("userPoolTags", UserPoolShapes.Unbounded, UserPoolShapes.TagKeysType,
            UserPoolShapes.TagValueType);
        RuleFor(r => r.PoolName).ModelString("poolName", UserPoolShapes.UserPoolNameType);
        RuleFor(r => r).Custom((r, context) => PoolMessageChecks.Check(context, ((IUserPoolSettingsShape)r).Messages));
        RuleFor(r => r.LambdaConfig).Custom((config, context) => LambdaConfigChecks.Check(context, config));
    }
}

internal sealed class UserPoolIdRequestValidator : AbstractValidator<UserPoolIdRequest>
{
    public UserPoolIdRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
    }
}

internal sealed class ListUserPoolsRequestValidator : AbstractValidator<ListUserPoolsRequest>
{
    public ListUserPoolsRequestValidator()
    {
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKeyType);
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", UserPoolShapes.PoolQueryLimitType, required: true);
    }
}

/// <summary>The nested UserPoolPolicyType: its PasswordPolicyType's integer ranges, named by their full wire path.</summary>
internal static class UserPoolChecks
{
    public static void Policies<T>(ValidationContext<T> context, UserPoolPolicyShape? policies)
    {
        if (policies?.PasswordPolicy is not { } password)
        {
            return;
        }

        const string path = "policies.passwordPolicy.";
        ModelChecks.Integer(context, path + "minimumLength", password.MinimumLength, UserPoolShapes.PasswordPolicyMinLengthType, false);
        ModelChecks.Integer(context, path + "passwordHistorySize", password.PasswordHistorySize, UserPoolShapes.PasswordHistorySizeType, false);
        ModelChecks.Integer(context, path + "temporaryPasswordValidityDays", password.TemporaryPasswordValidityDays,
            UserPoolShapes.TemporaryPasswordValidityDaysType, false);
    }
}
