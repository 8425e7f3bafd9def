using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>The MFA operations' errors, worded as Cognito answers them (the source of each wording beside it).</summary>
public static class MfaErrors
{
    /// <summary>ON or OPTIONAL with every factor off (Cognito's reply quoted in anomalyco/sst#5177).</summary>
    public static AwsError NoFactorWithMfa { get; } = UserPoolErrors.InvalidParameter(
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");

    /// <summary>OFF with a factor configured (Cognito's reply quoted in lgallard/terraform-aws-cognito-user-pool#74).</summary>
    public static AwsError FactorWithMfaOff { get; } = UserPoolErrors.InvalidParameter(
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");

    /// <summary>VerifySoftwareToken with a wrong code (Cognito's reply quoted in aws-samples/aws-amplify-auth-starters#15).</summary>
    public static AwsError SoftwareTokenMismatch { get; } =
        new("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA");

    /// <summary>VerifySoftwareToken before AssociateSoftwareToken (wording of amazon-archives/amazon-cognito-identity-js#630).</summary>
    public static AwsError NoSoftwareToken { get; } =
        new("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user.");

    /// <summary>
    /// Enabling a factor the user cannot receive: "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
    /// (Cognito's reply quoted in aws/aws-sdk-js-v3#4645, for a software token not verified); SMS_MFA and EMAIL_OTP in the
    /// same words.
    /// </summary>
    public static AwsError NoDeliveryFor(string kind) =>
        UserPoolErrors.InvalidParameter($"User does not have delivery config set to turn on {kind}");

    /// <summary>Two factors marked preferred in one call; the broker's wording.</summary>
    public static AwsError TwoPreferred { get; } =
        UserPoolErrors.InvalidParameter("Only one MFA method can be set as preferred.");

    /// <summary>A factor marked preferred but not enabled; the broker's wording.</summary>
    public static AwsError PreferredNotEnabled(string kind) =>
        UserPoolErrors.InvalidParameter($"{kind} cannot be preferred without being enabled.");

    /// <summary>MFA ON, the user has no factor and the pool offers no software token to set up; the broker's wording.</summary>
    public static AwsError NoFactorToSetUp { get; } =
        new("InvalidUserPoolConfigurationException", "MFA is required but the user has no MFA method and the pool offers none to set up.");

    /// <summary>MFA_SETUP answered before a software token was verified with the challenge's Session; the broker's wording.</summary>
    public static AwsError SetupNotDone { get; } = new("NotAuthorizedException", "The software token has not been verified for this session.");

    /// <summary>SELECT_MFA_TYPE answered with a factor the user cannot use; the broker's wording.</summary>
    public static AwsError NotChoosable { get; } = UserPoolErrors.InvalidParameter("The chosen MFA type is not available for the user.");
}
