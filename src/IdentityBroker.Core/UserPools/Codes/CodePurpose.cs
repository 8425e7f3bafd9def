namespace IdentityBroker.UserPools.Codes;

/// <summary>What a one-time code proves; each purpose has its own code per user (and attribute), and its own lifetime.</summary>
public enum CodePurpose
{
    /// <summary>ConfirmSignUp / ResendConfirmationCode.</summary>
    SignUpConfirmation,

    /// <summary>GetUserAttributeVerificationCode / VerifyUserAttribute, and the code sent when an attribute changes.</summary>
    AttributeVerification,

    /// <summary>ForgotPassword / ConfirmForgotPassword, AdminResetUserPassword.</summary>
    PasswordReset,

    /// <summary>SMS_MFA and EMAIL_OTP sign-in challenges.</summary>
    MfaSignIn,

    /// <summary>Not a code: the use-once mark of a sign-in Session (SignIn/SignInSessions), keyed by the session's id.</summary>
    SignInSession,
}

/// <summary>How long a code of each purpose stays valid.</summary>
public static class CodeLifetimes
{
    /// <summary>
    /// Cognito developer guide, "Signing up and confirming user accounts" and "Configuring email or phone verification":
    /// the confirmation or verification code "is valid for 24 hours".
    /// </summary>
    public static readonly TimeSpan Confirmation = TimeSpan.FromHours(24);

    /// <summary>Cognito developer guide, "Recovering user accounts": the ForgotPassword recovery code is valid for one hour.</summary>
    public static readonly TimeSpan PasswordReset = TimeSpan.FromHours(1);

    /// <summary>
    /// Cognito's SMS and email MFA codes live as long as the sign-in session that asked for them (the client's
    /// AuthSessionValidity, 3–15 minutes): a code is only taken with its unexpired Session, so the code itself lives the
    /// longest a Session can and the Session is what ends it.
    /// </summary>
    public static readonly TimeSpan MfaSignIn = TimeSpan.FromMinutes(15);

    public static TimeSpan Of(CodePurpose purpose) => purpose switch
    {
        CodePurpose.SignUpConfirmation or CodePurpose.AttributeVerification => Confirmation,
        CodePurpose.PasswordReset => PasswordReset,
        CodePurpose.MfaSignIn or CodePurpose.SignInSession => MfaSignIn,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "No lifetime for this purpose."),
    };
}
