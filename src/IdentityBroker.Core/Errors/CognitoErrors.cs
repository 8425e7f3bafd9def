namespace IdentityBroker.Errors;

/// <summary>
/// The catalogue of Cognito Identity errors with the wording of the real service (the error types of each operation are
/// listed in the Amazon Cognito Identity API Reference). The real front end answers 400 for client errors, whatever
/// status the service model gives the error shape.
/// </summary>
public static class CognitoErrors
{
    public static AwsError InvalidParameter(string message) => new("InvalidParameterException", message);

    public static AwsError NotAuthorized(string message) => new("NotAuthorizedException", message);

    public static AwsError ResourceNotFound(string message) => new("ResourceNotFoundException", message);

    public static AwsError ResourceConflict(string message) => new("ResourceConflictException", message);

    public static AwsError LimitExceeded(string message) => new("LimitExceededException", message);

    public static AwsError ExternalService(string message) => new("ExternalServiceException", message);

    public static AwsError InvalidIdentityPoolConfiguration(string message) => new("InvalidIdentityPoolConfigurationException", message);

    public static AwsError DeveloperUserAlreadyRegistered(string message) => new("DeveloperUserAlreadyRegisteredException", message);

    public static AwsError Validation(string message) => new("ValidationException", message);

    public static AwsError Serialization(string message) => new("SerializationException", message);

    public static AwsError UnknownOperation(string message) => new("UnknownOperationException", message);

    public static AwsError InternalError() => new("InternalErrorException", "An internal error occurred. Please retry the request.", 500);

    /// <summary>
    /// A call over a configured rate (docs/limits.md): TooManyRequestsException in the JSON protocols, as Cognito answers (400, the
    /// front end's status for client errors); the Query writer names it Throttling, as IAM and STS do.
    /// </summary>
    public static AwsError TooManyRequests(TimeSpan retryAfter) =>
        new(ThrottlingType, "Rate exceeded") { RetryAfter = retryAfter };

    public const string ThrottlingType = "TooManyRequestsException";

    public static AwsError ServiceUnavailable(string message) => new("ServiceUnavailableException", message, 503);

    public static AwsError PoolNotFound(string poolId) => ResourceNotFound($"IdentityPool '{poolId}' not found.");

    public static AwsError IdentityNotFound(string identityId) => ResourceNotFound($"Identity '{identityId}' not found.");

    public static AwsError IdentityForbidden(string identityId) => NotAuthorized($"Access to Identity '{identityId}' is forbidden.");

    public static AwsError UnauthenticatedNotSupported() =>
        NotAuthorized("Unauthenticated access is not supported for this identity pool.");

    public static AwsError LoginsDoNotMatch() =>
        NotAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.");

    public static AwsError UnsupportedProvider() =>
        NotAuthorized("Token is not from a supported provider of this identity pool.");

    public static AwsError InvalidLoginToken(string detail) => NotAuthorized($"Invalid login token. {detail}");

    public static AwsError CheckRoles() =>
        InvalidIdentityPoolConfiguration("Invalid identity pool configuration. Check assigned IAM roles for this pool.");

    public static AwsError ClassicFlowDisabled() =>
        InvalidParameter("Basic (classic) flow is not enabled, please use enhanced flow.");
}
