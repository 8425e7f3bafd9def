using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>The errors of the sign-in flows, worded as Cognito answers them (the source of each wording beside it).</summary>
public static class SignInErrors
{
    /// <summary>
    /// A Session that is altered, of another client, user or challenge, used already, or older than the sign-in session
    /// validity: "Invalid session for the user, session is expired." (Cognito's NotAuthorizedException; the shorter
    /// "Invalid session for the user." is quoted in aws-amplify/amplify-js#5834 and #10959).
    /// </summary>
    public static AwsError InvalidSession { get; } = new("NotAuthorizedException", "Invalid session for the user, session is expired.");

    /// <summary>Cognito developer guide, "Lockout behavior for failed sign-in attempts": "Password attempts exceeded".</summary>
    public static AwsError PasswordAttemptsExceeded { get; } = new("NotAuthorizedException", "Password attempts exceeded");

    public static AwsError UserNotConfirmed { get; } = new("UserNotConfirmedException", "User is not confirmed.");

    public static AwsError PasswordResetRequired { get; } = new("PasswordResetRequiredException", "Password reset required for the user");

    public static AwsError UserDisabled { get; } = new("NotAuthorizedException", "User is disabled.");

    /// <summary>A temporary password older than the policy's TemporaryPasswordValidityDays.</summary>
    public static AwsError TemporaryPasswordExpired { get; } =
        new("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator.");

    /// <summary>A flow of the other API (ADMIN_USER_PASSWORD_AUTH on InitiateAuth) or one the broker does not run (soto-project/soto-cognito-authentication-kit#10).</summary>
    public static AwsError FlowNotSupported { get; } = UserPoolErrors.InvalidParameter("Initiate Auth method not supported.");

    /// <summary>A flow the app client's ExplicitAuthFlows does not allow: "&lt;FLOW&gt; flow not enabled for this client".</summary>
    public static AwsError FlowNotEnabled(string flow) => UserPoolErrors.InvalidParameter($"{flow} flow not enabled for this client");

    public static AwsError MissingParameter(string name) => UserPoolErrors.InvalidParameter($"Missing required parameter {name}");

    /// <summary>A challenge the broker does not answer (yet) or that does not follow the session's.</summary>
    public static AwsError ChallengeNotSupported(string challenge) =>
        UserPoolErrors.InvalidParameter($"The challenge {challenge} is not supported by this broker.");

    /// <summary>NEW_PASSWORD_REQUIRED without a required attribute the user has no value for (the broker's wording).</summary>
    public static AwsError RequiredAttributeMissing(string name) =>
        UserPoolErrors.InvalidParameter($"Invalid attributes given, {name} is missing");
}
