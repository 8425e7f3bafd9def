using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// The errors of <c>/oauth2/authorize</c>, as <see cref="AwsError"/> values whose <see cref="AwsError.Type"/> is the OAuth
/// <c>error</c> code. RFC 6749 §4.1.2.1: while the client or the redirect URI is in doubt the error is shown to the user
/// (status 400, <see cref="IsShownAsPage"/>) and never redirected; once both are verified it goes back to the client's
/// redirect URI with <c>state</c> (status 302).
/// </summary>
public static class AuthorizeErrors
{
    private const int Page = 400;
    private const int Redirect = 302;

    public static bool IsShownAsPage(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StatusCode != Redirect;
    }

    public static AwsError MissingClientOrRedirect { get; } =
        new("invalid_request", "The request has no client_id or redirect_uri.", Page);

    public static AwsError UnknownClient { get; } = new("invalid_client", "Client does not exist.", Page);

    /// <summary>Cognito's word for a redirect URI that is not one of the client's CallbackURLs.</summary>
    public static AwsError RedirectMismatch { get; } = new("redirect_mismatch", "redirect_uri is not one of the client's callback URLs.", Page);

    /// <summary>/logout: an unknown client, or a logout_uri that is not exactly one of its LogoutURLs.</summary>
    public static AwsError LogoutMismatch { get; } = new("invalid_request", "logout_uri is not one of the client's sign-out URLs.", Page);

    public static AwsError NotOAuthClient { get; } =
        new("unauthorized_client", "The client is not allowed to use the OAuth 2.0 flows (AllowedOAuthFlowsUserPoolClient).", Page);

    public static AwsError UnsupportedResponseType { get; } =
        new("unsupported_response_type", "response_type must be code or token.", Redirect);

    public static AwsError ResponseTypeNotAllowed { get; } =
        new("unauthorized_client", "The client is not allowed this response_type.", Redirect);

    public static AwsError InvalidScope { get; } = new("invalid_scope", "A requested scope is not allowed for this client.", Redirect);

    public static AwsError NoScopes { get; } = new("invalid_scope", "The client has no allowed OAuth scopes.", Redirect);

    public static AwsError PkceRequired { get; } =
        new("invalid_request", "code_challenge is required for a client without a secret.", Redirect);

    public static AwsError PkceMethod { get; } = new("invalid_request", "code_challenge_method must be S256.", Redirect);

    public static AwsError PkceChallenge { get; } =
        new("invalid_request", "code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~].", Redirect);

    public static AwsError UnknownIdentityProvider { get; } =
        new("invalid_request", "The identity provider is not supported by this client.", Redirect);

    /// <summary>The user the session names is gone or may not sign in (deleted, disabled).</summary>
    public static AwsError UserUnavailable { get; } = new("access_denied", "User is not available.", Redirect);
}
