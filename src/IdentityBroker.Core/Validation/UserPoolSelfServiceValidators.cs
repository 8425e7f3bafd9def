using System.Text.RegularExpressions;
using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

/// <summary>The constrained shapes of the self-service operations (cognito-idp.service-2.json 2016-04-18).</summary>
internal static partial class UserPoolSelfServiceShapes
{
    /// <summary>SecretHashType: <c>[\w+=/]+</c>, 1–128, sensitive.</summary>
    public static readonly StringShape SecretHashType = new(1, 128, @"[\w+=/]+", SecretHash(), sensitive: true);

    /// <summary>ConfirmationCodeType: <c>[\S]+</c>, 1–2048.</summary>
    public static readonly StringShape ConfirmationCodeType = new(1, 2048, @"[\S]+", JavaPatterns.PaginationKey());

    public static readonly StringShape SessionType = new(20, 2048);

    public static readonly EnumShape EventFilterType = new("SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP");

    public static readonly EnumShape EventActionType = new("BLOCK", "NO_ACTION");

    [GeneratedRegex(@"\A[a-zA-Z0-9_+=/]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretHash();
}

internal static class ClientUserChecks
{
    public static void Common<T>(AbstractValidator<T> validator)
        where T : ClientUserRequest
    {
        validator.RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType, required: true);
        validator.RuleFor(r => r.SecretHash).ModelString("secretHash", UserPoolSelfServiceShapes.SecretHashType);
        validator.RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
        validator.RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class SignUpRequestValidator : AbstractValidator<SignUpRequest>
{
    public SignUpRequestValidator()
    {
        ClientUserChecks.Common(this);
        // Optional in the model (passwordless sign-up); the broker signs users in by password, so it is required here.
        RuleFor(r => r.Password).ModelString("password", UserPoolUserShapes.PasswordType, required: true);
        RuleFor(r => r.UserAttributes).Custom((list, context) => UserChecks.Attributes(context, "userAttributes", list));
        RuleFor(r => r.ValidationData).Custom((list, context) => UserChecks.Attributes(context, "validationData", list));
    }
}

internal sealed class ConfirmSignUpRequestValidator : AbstractValidator<ConfirmSignUpRequest>
{
    public ConfirmSignUpRequestValidator()
    {
        ClientUserChecks.Common(this);
        RuleFor(r => r.ConfirmationCode).ModelString("confirmationCode", UserPoolSelfServiceShapes.ConfirmationCodeType, required: true);
        RuleFor(r => r.Session).ModelString("session", UserPoolSelfServiceShapes.SessionType);
    }
}

internal sealed class ClientUsernameRequestValidator : AbstractValidator<ClientUsernameRequest>
{
    public ClientUsernameRequestValidator() => ClientUserChecks.Common(this);
}

internal sealed class ConfirmForgotPasswordRequestValidator : AbstractValidator<ConfirmForgotPasswordRequest>
{
    public ConfirmForgotPasswordRequestValidator()
    {
        ClientUserChecks.Common(this);
        RuleFor(r => r.ConfirmationCode).ModelString("confirmationCode", UserPoolSelfServiceShapes.ConfirmationCodeType, required: true);
        RuleFor(r => r.Password).ModelString("password", UserPoolUserShapes.PasswordType, required: true);
    }
}

internal sealed class UpdateUserAttributesRequestValidator : AbstractValidator<UpdateUserAttributesRequest>
{
    public UpdateUserAttributesRequestValidator()
    {
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType, required: true);
        RuleFor(r => r.UserAttributes).Custom((list, context) =>
        {
            ModelChecks.Required(context, "userAttributes", list);
            UserChecks.Attributes(context, "userAttributes", list);
        });
        RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class DeleteUserAttributesRequestValidator : AbstractValidator<DeleteUserAttributesRequest>
{
    public DeleteUserAttributesRequestValidator()
    {
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType, required: true);
        RuleFor(r => r.UserAttributeNames).Custom((list, context) => ModelChecks.StringList(context, "userAttributeNames", list,
            UserPoolShapes.Unbounded, UserPoolUserShapes.AttributeNameType, required: true));
    }
}

internal sealed class UserAttributeCodeRequestValidator : AbstractValidator<UserAttributeCodeRequest>
{
    public UserAttributeCodeRequestValidator()
    {
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType, required: true);
        RuleFor(r => r.AttributeName).ModelString("attributeName", UserPoolUserShapes.AttributeNameType, required: true);
        RuleFor(r => r.Code).ModelString("code", UserPoolSelfServiceShapes.ConfirmationCodeType);
        RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class ChangePasswordRequestValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordRequestValidator()
    {
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType, required: true);
        RuleFor(r => r.PreviousPassword).ModelString("previousPassword", UserPoolUserShapes.PasswordType);
        RuleFor(r => r.ProposedPassword).ModelString("proposedPassword", UserPoolUserShapes.PasswordType, required: true);
    }
}

internal sealed class RiskConfigurationRequestValidator : AbstractValidator<RiskConfigurationRequest>
{
    public RiskConfigurationRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType);
        RuleFor(r => r.CompromisedCredentialsRiskConfiguration).Custom((risk, context) =>
        {
            if (risk is null)
            {
                return;
            }

            const string Path = "compromisedCredentialsRiskConfiguration";
            ModelChecks.EnumList(context, Path + ".eventFilter", risk.EventFilter, UserPoolSelfServiceShapes.EventFilterType);
            ModelChecks.Required(context, Path + ".actions", risk.Actions);
            ModelChecks.Enum(context, Path + ".actions.eventAction", risk.Actions?.EventAction, UserPoolSelfServiceShapes.EventActionType,
                required: risk.Actions is not null);
        });
    }
}
