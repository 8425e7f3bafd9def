using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// MFA inputs: SetUserPoolMfaConfigRequest, AssociateSoftwareTokenRequest, VerifySoftwareTokenRequest,
// SetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceRequest (GetUserPoolMfaConfig takes UserPoolIdRequest).

internal sealed class SetUserPoolMfaConfigRequestValidator : AbstractValidator<SetUserPoolMfaConfigRequest>
{
    public SetUserPoolMfaConfigRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.MfaConfiguration).Custom((value, context) =>
            ModelChecks.Enum(context, "mfaConfiguration", value, UserPoolShapes.UserPoolMfaType, required: false));
        RuleFor(r => r.SmsMfaConfiguration).Custom((sms, context) =>
        {
            ModelChecks.String(context, "smsMfaConfiguration.smsAuthenticationMessage", sms?.SmsAuthenticationMessage,
                UserPoolMfaShapes.SmsMessageType, required: false);
            if (sms?.SmsConfiguration is { } sns)
            {
                ModelChecks.String(context, "smsMfaConfiguration.smsConfiguration.snsCallerArn", sns.SnsCallerArn,
                    UserPoolGroupShapes.ArnType, required: true);
                ModelChecks.String(context, "smsMfaConfiguration.smsConfiguration.externalId", sns.ExternalId,
                    UserPoolMfaShapes.StringType, required: false);
                ModelChecks.String(context, "smsMfaConfiguration.smsConfiguration.snsRegion", sns.SnsRegion,
                    UserPoolMfaShapes.SnsRegionType, required: false);
            }
        });
        RuleFor(r => r.EmailMfaConfiguration).Custom((email, context) =>
        {
            ModelChecks.String(context, "emailMfaConfiguration.message", email?.Message, UserPoolMfaShapes.EmailMessageType, required: false);
            ModelChecks.String(context, "emailMfaConfiguration.subject", email?.Subject, UserPoolMfaShapes.EmailSubjectType, required: false);
        });
        RuleFor(r => r.WebAuthnConfiguration).Custom((web, context) =>
        {
            ModelChecks.String(context, "webAuthnConfiguration.relyingPartyId", web?.RelyingPartyId, UserPoolMfaShapes.RelyingPartyIdType, required: false);
            ModelChecks.Enum(context, "webAuthnConfiguration.userVerification", web?.UserVerification, UserPoolMfaShapes.UserVerificationType, required: false);
            ModelChecks.Enum(context, "webAuthnConfiguration.factorConfiguration", web?.FactorConfiguration,
                UserPoolMfaShapes.FactorConfigurationType, required: false);
        });
    }
}

internal sealed class AssociateSoftwareTokenRequestValidator : AbstractValidator<AssociateSoftwareTokenRequest>
{
    public AssociateSoftwareTokenRequestValidator()
    {
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType);
        RuleFor(r => r.Session).ModelString("session", UserPoolMfaShapes.SessionType);
    }
}

internal sealed class VerifySoftwareTokenRequestValidator : AbstractValidator<VerifySoftwareTokenRequest>
{
    public VerifySoftwareTokenRequestValidator()
    {
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType);
        RuleFor(r => r.Session).ModelString("session", UserPoolMfaShapes.SessionType);
        RuleFor(r => r.UserCode).ModelString("userCode", UserPoolMfaShapes.UserCodeType, required: true);
        RuleFor(r => r.FriendlyDeviceName).ModelString("friendlyDeviceName", UserPoolMfaShapes.StringType);
    }
}

internal sealed class SetUserMfaPreferenceRequestValidator : AbstractValidator<SetUserMfaPreferenceRequest>
{
    public SetUserMfaPreferenceRequestValidator() =>
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType, required: true);
}

internal sealed class AdminSetUserMfaPreferenceRequestValidator : AbstractValidator<AdminSetUserMfaPreferenceRequest>
{
    public AdminSetUserMfaPreferenceRequestValidator()
    {
        RuleFor(r => r.Username).ModelString("username", UserPoolGroupShapes.UsernameType, required: true);
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
    }
}
