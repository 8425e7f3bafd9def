using IdentityBroker.Errors;

namespace IdentityBroker.UserPools;

/// <summary>
/// The Cognito User Pools errors the user-pool domain produces so far, with the real service's wording. The real front
/// end answers 400 for every client error.
/// </summary>
public static class UserPoolErrors
{
    /// <summary>Cognito answers a wrong password and a failed password proof alike, with this one message.</summary>
    public static AwsError IncorrectUsernameOrPassword { get; } =
        new("NotAuthorizedException", "Incorrect username or password.");

    public static AwsError InvalidPassword(string clause) =>
        new("InvalidPasswordException", "Password did not conform with policy: " + clause);

    public static AwsError InvalidParameter(string message) => new("InvalidParameterException", message);
}
