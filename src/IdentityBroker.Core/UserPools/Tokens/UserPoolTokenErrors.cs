using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// Cognito's answers about user-pool tokens. The NotAuthorizedException wordings are the service's as clients report them:
/// "Access Token has been revoked" (aws-amplify/amplify-js#2205, and the GlobalSignOut reference), "Access Token has
/// expired" (amplify-js#974), "Refresh Token has been revoked" (amplify-swift#3344), "Invalid Refresh Token"
/// (aws-sdk-net-extensions-cognito#75). The RevokeToken exception types are the model's; their messages are the broker's.
/// </summary>
public static class UserPoolTokenErrors
{
    public static AwsError AccessTokenRevoked { get; } = CognitoErrors.NotAuthorized("Access Token has been revoked");

    public static AwsError AccessTokenExpired { get; } = CognitoErrors.NotAuthorized("Access Token has expired");

    public static AwsError InvalidAccessToken { get; } = CognitoErrors.NotAuthorized("Invalid Access Token");

    /// <summary>The user operations need the scope aws.cognito.signin.user.admin (their AccessToken member's reference).</summary>
    public static AwsError MissingScope { get; } = CognitoErrors.NotAuthorized("Access Token does not have required scopes");

    public static AwsError InvalidRefreshToken { get; } = CognitoErrors.NotAuthorized("Invalid Refresh Token");

    public static AwsError RefreshTokenRevoked { get; } = CognitoErrors.NotAuthorized("Refresh Token has been revoked");

    public static AwsError RefreshTokenExpired { get; } = CognitoErrors.NotAuthorized("Refresh Token has expired");

    /// <summary>
    /// REFRESH_TOKEN_AUTH on a client with refresh-token rotation: the API reference (RefreshTokenRotationType) says rotation
    /// must be completed with GetTokensFromRefreshToken; the service's wording for the refusal is not documented, so the
    /// message is the broker's and names the operation to use.
    /// </summary>
    public static AwsError RotationNeedsGetTokens { get; } = CognitoErrors.NotAuthorized(
        "Refresh token rotation is enabled for this app client; renew tokens with GetTokensFromRefreshToken.");

    /// <summary>The client was created with EnableTokenRevocation false (model: "an operation that isn't enabled for the user pool client").</summary>
    public static AwsError RevocationDisabled { get; } =
        new("UnsupportedOperationException", "Token revocation is not enabled for this app client.");

    /// <summary>RevokeToken revokes refresh tokens only (model: "an unsupported token is passed to an operation").</summary>
    public static AwsError UnsupportedTokenType { get; } =
        new("UnsupportedTokenTypeException", "Only refresh tokens issued by this user pool can be revoked.");

    /// <summary>A client with a secret must present it (RevokeToken's ClientSecret: "if the client has a secret").</summary>
    public static AwsError ClientSecretMismatch(string clientId) =>
        CognitoErrors.NotAuthorized($"Client {clientId} is configured with secret but the secret given does not match.");
}
