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

    public static AwsError UserPoolNotFound(string userPoolId) =>
        new("ResourceNotFoundException", $"User pool {userPoolId} does not exist.");

    /// <summary>DeleteUserPool on a pool whose DeletionProtection is ACTIVE (Cognito developer guide, "Deletion protection").</summary>
    public static AwsError DeletionProtected { get; } = InvalidParameter(
        "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.");

    /// <summary>The model: a pool signs users in by UsernameAttributes or by AliasAttributes, not both.</summary>
    public static AwsError AliasAndUsernameAttributes { get; } =
        InvalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");

    public static AwsError ClientNotFound(string clientId) =>
        new("ResourceNotFoundException", $"User pool client {clientId} does not exist.");
}
