using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// The errors of <c>/oauth2/token</c> and <c>/oauth2/revoke</c>: RFC 6749 §5.2 codes in <see cref="AwsError.Type"/>, with the
/// status Cognito answers (400; 401 for a failed client authentication, RFC 6749 §5.2 <c>invalid_client</c>).
/// </summary>
public static class TokenEndpointErrors
{
    public static AwsError InvalidGrant { get; } = new("invalid_grant", "The grant is invalid, expired, used, or issued to another client.");

    public static AwsError InvalidClient { get; } = new("invalid_client", "Client authentication failed.", 401);

    public static AwsError UnauthorizedClient { get; } = new("unauthorized_client", "The client is not allowed this grant type.");

    public static AwsError UnsupportedGrantType { get; } = new("unsupported_grant_type", "The grant type is not supported.");

    public static AwsError InvalidRequest(string what) => new("invalid_request", what);

    public static AwsError InvalidScope { get; } = new("invalid_scope", "A requested scope is not allowed for this client.");

    public static AwsError UnsupportedTokenType { get; } = new("unsupported_token_type", "Only refresh tokens can be revoked.");
}
