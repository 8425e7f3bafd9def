namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// The second factors a pool offers (SetUserPoolMfaConfig), kept beside its MfaConfiguration. A null member is a factor
/// the pool does not offer.
/// </summary>
public sealed record PoolMfaFactors(bool SoftwareToken, SmsMfaFactor? Sms, EmailMfaFactor? Email)
{
    public static PoolMfaFactors None { get; } = new(false, null, null);

    public bool Any => SoftwareToken || Sms is not null || Email is not null;
}

/// <summary>SmsMfaConfigType: the message template (null: Cognito's default) and the SNS settings, kept and returned.</summary>
public sealed record SmsMfaFactor(string? SmsAuthenticationMessage, SmsSettings? SmsConfiguration);

/// <summary>SmsConfigurationType. The broker sends SMS through its webhook or dev outbox; these are kept for the API only.</summary>
public sealed record SmsSettings(string SnsCallerArn, string? ExternalId, string? SnsRegion);

/// <summary>EmailMfaConfigType: message template and subject (null: Cognito's defaults).</summary>
public sealed record EmailMfaFactor(string? Message, string? Subject);

/// <summary>The MFA kinds as the API names them (ChallengeNameType, UserMFASettingList, PreferredMfaSetting).</summary>
public static class MfaKinds
{
    public const string SoftwareToken = "SOFTWARE_TOKEN_MFA";
    public const string Sms = "SMS_MFA";
    public const string Email = "EMAIL_OTP";
}
