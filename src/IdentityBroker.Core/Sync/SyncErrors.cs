using IdentityBroker.Errors;

namespace IdentityBroker.Sync;

/// <summary>Cognito Sync's error names and HTTP statuses (cognito-sync model).</summary>
public static class SyncErrors
{
    public static AwsError InvalidParameter(string message) => new("InvalidParameterException", message);

    public static AwsError NotFound(string message) => new("ResourceNotFoundException", message, 404);

    public static AwsError NotAuthorized(string message) => new("NotAuthorizedException", message, 403);

    public static AwsError Conflict(string message) => new("ResourceConflictException", message, 409);

    public static AwsError LimitExceeded(string message) => new("LimitExceededException", message);

    public static AwsError InvalidConfiguration(string message) => new("InvalidConfigurationException", message);
}
