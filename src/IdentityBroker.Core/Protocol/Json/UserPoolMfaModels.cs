using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the MFA operations (cognito-idp 2016-04-18): SetUserPoolMfaConfig, GetUserPoolMfaConfig,
// AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference, AdminSetUserMFAPreference.

public sealed class SmsConfigurationShape
{
    public string? SnsCallerArn { get; set; }

    public string? ExternalId { get; set; }

    public string? SnsRegion { get; set; }
}

public sealed class SmsMfaConfigShape
{
    public string? SmsAuthenticationMessage { get; set; }

    public SmsConfigurationShape? SmsConfiguration { get; set; }
}

public sealed class SoftwareTokenMfaConfigShape
{
    public bool? Enabled { get; set; }
}

public sealed class EmailMfaConfigShape
{
    public string? Message { get; set; }

    public string? Subject { get; set; }
}

/// <summary>WebAuthnConfigurationType: accepted by the model, refused by the broker (no passkeys).</summary>
public sealed class WebAuthnConfigurationShape
{
    public string? RelyingPartyId { get; set; }

    public string? UserVerification { get; set; }

    public string? FactorConfiguration { get; set; }
}

public sealed class SetUserPoolMfaConfigRequest : IModelRequest<SetUserPoolMfaConfigRequest>
{
    public static IValidator<SetUserPoolMfaConfigRequest> Validator { get; } = new SetUserPoolMfaConfigRequestValidator();

    public string? UserPoolId { get; set; }

    public SmsMfaConfigShape? SmsMfaConfiguration { get; set; }

    public SoftwareTokenMfaConfigShape? SoftwareTokenMfaConfiguration { get; set; }

    public EmailMfaConfigShape? EmailMfaConfiguration { get; set; }

    public string? MfaConfiguration { get; set; }

    public WebAuthnConfigurationShape? WebAuthnConfiguration { get; set; }
}

/// <summary>SetUserPoolMfaConfig's and GetUserPoolMfaConfig's output.</summary>
public sealed class UserPoolMfaConfigResponse
{
    public SmsMfaConfigShape? SmsMfaConfiguration { get; set; }

    public SoftwareTokenMfaConfigShape? SoftwareTokenMfaConfiguration { get; set; }

    public EmailMfaConfigShape? EmailMfaConfiguration { get; set; }

    public string? MfaConfiguration { get; set; }
}

/// <summary>AssociateSoftwareToken's input: AccessToken, or Session during MFA_SETUP.</summary>
public sealed class AssociateSoftwareTokenRequest : IModelRequest<AssociateSoftwareTokenRequest>
{
    public static IValidator<AssociateSoftwareTokenRequest> Validator { get; } = new AssociateSoftwareTokenRequestValidator();

    public string? AccessToken { get; set; }

    public string? Session { get; set; }
}

public sealed class AssociateSoftwareTokenResponse
{
    public string? SecretCode { get; set; }

    public string? Session { get; set; }
}

public sealed class VerifySoftwareTokenRequest : IModelRequest<VerifySoftwareTokenRequest>
{
    public static IValidator<VerifySoftwareTokenRequest> Validator { get; } = new VerifySoftwareTokenRequestValidator();

    public string? AccessToken { get; set; }

    public string? Session { get; set; }

    public string? UserCode { get; set; }

    public string? FriendlyDeviceName { get; set; }
}

public sealed class VerifySoftwareTokenResponse
{
    public string? Status { get; set; }

    public string? Session { get; set; }
}

/// <summary>SMSMfaSettingsType, SoftwareTokenMfaSettingsType and EmailMfaSettingsType: the same two members.</summary>
public sealed class MfaSettingsShape
{
    public bool? Enabled { get; set; }

    public bool? PreferredMfa { get; set; }
}

public sealed class WebAuthnMfaSettingsShape
{
    public bool? Enabled { get; set; }
}

public sealed class SetUserMfaPreferenceRequest : IModelRequest<SetUserMfaPreferenceRequest>
{
    public static IValidator<SetUserMfaPreferenceRequest> Validator { get; } = new SetUserMfaPreferenceRequestValidator();

    public MfaSettingsShape? SMSMfaSettings { get; set; }

    public MfaSettingsShape? SoftwareTokenMfaSettings { get; set; }

    public MfaSettingsShape? EmailMfaSettings { get; set; }

    public WebAuthnMfaSettingsShape? WebAuthnMfaSettings { get; set; }

    public string? AccessToken { get; set; }
}

public sealed class AdminSetUserMfaPreferenceRequest : IModelRequest<AdminSetUserMfaPreferenceRequest>
{
    public static IValidator<AdminSetUserMfaPreferenceRequest> Validator { get; } = new AdminSetUserMfaPreferenceRequestValidator();

    public MfaSettingsShape? SMSMfaSettings { get; set; }

    public MfaSettingsShape? SoftwareTokenMfaSettings { get; set; }

    public MfaSettingsShape? EmailMfaSettings { get; set; }

    public WebAuthnMfaSettingsShape? WebAuthnMfaSettings { get; set; }

    public string? Username { get; set; }

    public string? UserPoolId { get; set; }
}
