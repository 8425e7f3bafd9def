using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Codes;

/// <summary>What checking a code found.</summary>
public enum CodeCheck
{
    Accepted,

    /// <summary>A wrong code, with attempts left or this being the last one.</summary>
    Mismatch,

    /// <summary>No live code: never sent, expired, used or replaced. Cognito answers all of these alike.</summary>
    Expired,

    /// <summary>The code allowed no more attempts; a new code must be requested.</summary>
    AttemptsExhausted,
}

/// <summary>
/// Cognito's answers to a failed code check. Wordings as the service returns them (seen in SDK issue reports:
/// aws-amplify/amplify-js#11738 for the mismatch, aws-amplify/amplify-flutter#1128 and awslabs/aws-sdk-ios-samples#144
/// for the expired code, aws-amplify/amplify-js#8013 and aws-amplify/amplify-ui-android#180 for the attempt limit, which
/// follows five wrong codes on ConfirmForgotPassword).
/// </summary>
public static class CodeErrors
{
    public static AwsError Mismatch { get; } =
        new("CodeMismatchException", "Invalid verification code provided, please try again.");

    /// <summary>RespondToAuthChallenge (SMS_MFA, EMAIL_OTP) words a wrong MFA code so (aws-amplify/amplify-js#11069).</summary>
    public static AwsError MfaMismatch { get; } =
        new("CodeMismatchException", "Invalid code or auth state for the user.");

    public static AwsError Expired { get; } =
        new("ExpiredCodeException", "Invalid code provided, please request a code again.");

    /// <summary>
    /// After the attempt limit on a reset code (ConfirmForgotPassword), a verification code (VerifyUserAttribute) or an MFA
    /// code: Cognito answers LimitExceededException in these words (quoted above for ConfirmForgotPassword).
    /// </summary>
    public static AwsError AttemptLimit { get; } =
        new("LimitExceededException", "Attempt limit exceeded, please try after some time.");

    /// <summary>
    /// After the attempt limit on a sign-up confirmation code (ConfirmSignUp): the model lists TooManyFailedAttemptsException
    /// for ConfirmSignUp ("too many failed attempts for a given action"), and no report shows Cognito answering
    /// LimitExceededException there, so the broker answers this one. The wording is the broker's.
    /// </summary>
    public static AwsError TooManyFailedAttempts { get; } =
        new("TooManyFailedAttemptsException", "Too many failed attempts with this code, request a new code.");

    /// <summary>The error to answer, or null when the code was accepted.</summary>
    public static AwsError? For(CodeCheck check, CodePurpose purpose) => check switch
    {
        CodeCheck.Accepted => null,
        CodeCheck.Mismatch => purpose == CodePurpose.MfaSignIn ? MfaMismatch : Mismatch,
        CodeCheck.Expired => Expired,
        CodeCheck.AttemptsExhausted => purpose == CodePurpose.SignUpConfirmation ? TooManyFailedAttempts : AttemptLimit,
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "Unknown code check."),
    };
}
