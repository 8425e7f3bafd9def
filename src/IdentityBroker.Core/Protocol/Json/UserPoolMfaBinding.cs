using IdentityBroker.UserPools.Mfa;

namespace IdentityBroker.Protocol.Json;

/// <summary>From validated MFA requests to commands, and from results to response shapes. A TOTP secret is shaped only by AssociateSoftwareToken.</summary>
internal static class UserPoolMfaBinding
{
    public static SetPoolMfaConfig SetConfig(SetUserPoolMfaConfigRequest r) => new(r.UserPoolId!, r.MfaConfiguration, new PoolMfaFactors(
        r.SoftwareTokenMfaConfiguration?.Enabled == true,
        r.SmsMfaConfiguration is { } sms ? new SmsMfaFactor(sms.SmsAuthenticationMessage, Sns(sms.SmsConfiguration)) : null,
        r.EmailMfaConfiguration is { } email ? new EmailMfaFactor(email.Message, email.Subject) : null));

    public static GetPoolMfaConfig GetConfig(UserPoolIdRequest r) => new(r.UserPoolId!);

    public static SetMfaPreference AdminPreference(AdminSetUserMfaPreferenceRequest r) =>
        new(new MfaUser(r.UserPoolId!, r.Username!), Factor(r.SMSMfaSettings), Factor(r.SoftwareTokenMfaSettings), Factor(r.EmailMfaSettings));

    public static SetMfaPreference Preference(SetUserMfaPreferenceRequest r, MfaUser user) =>
        new(user, Factor(r.SMSMfaSettings), Factor(r.SoftwareTokenMfaSettings), Factor(r.EmailMfaSettings));

    public static UserPoolMfaConfigResponse Config(PoolMfaConfig config) => new()
    {
        MfaConfiguration = config.MfaConfiguration,
        SoftwareTokenMfaConfiguration = new() { Enabled = config.Factors.SoftwareToken },
        SmsMfaConfiguration = config.Factors.Sms is { } sms
            ? new()
            {
                SmsAuthenticationMessage = sms.SmsAuthenticationMessage,
                SmsConfiguration = sms.SmsConfiguration is { } sns
                    ? new() { SnsCallerArn = sns.SnsCallerArn, ExternalId = sns.ExternalId, SnsRegion = sns.SnsRegion }
                    : null,
            }
            : null,
        EmailMfaConfiguration = config.Factors.Email is { } email ? new() { Message = email.Message, Subject = email.Subject } : null,
    };

    private static SmsSettings? Sns(SmsConfigurationShape? s) => s is null ? null : new(s.SnsCallerArn!, s.ExternalId, s.SnsRegion);

    private static MfaFactorPreference? Factor(MfaSettingsShape? s) => s is null ? null : new(s.Enabled, s.PreferredMfa);
}
