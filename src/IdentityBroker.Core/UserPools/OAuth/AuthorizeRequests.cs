using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>An authorize request whose every check passed, with its effective scopes; only <see cref="AuthorizeRequests"/> builds one.</summary>
public sealed record ValidatedAuthorize(UserPool Pool, UserPoolClient Client, AuthorizeRequest Request)
{
    internal static ValidatedAuthorize Create(UserPool pool, UserPoolClient client, AuthorizeRequest request) => new(pool, client, request);
}

/// <summary>
/// The checks of <c>/oauth2/authorize</c>, in the order that decides where an error may go (RFC 6749 §4.1.2.1): first the
/// client and the exact redirect URI (errors shown as a page), then response type, scopes, PKCE and identity provider
/// (errors redirected to the client).
/// </summary>
public sealed class AuthorizeRequests(IUserPoolStore pools)
{
    public const string S256 = "S256";

    /// <summary>The identity provider of the pool's own users, always supported when the client lists it.</summary>
    public const string CognitoProvider = "COGNITO";

    public async Task<Result<ValidatedAuthorize>> ValidateAsync(UserPool pool, AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(request);
        var client = await pools.GetClientAsync(pool.Id, request.ClientId, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return AuthorizeErrors.UnknownClient;
        }

        if (!IsRegisteredRedirect(client, request.RedirectUri))
        {
            return AuthorizeErrors.RedirectMismatch;
        }

        if (!client.Settings.AllowedOAuthFlowsUserPoolClient)
        {
            return AuthorizeErrors.NotOAuthClient;
        }

        if ((CheckResponseType(client, request) ?? CheckPkce(client, request) ?? CheckIdentityProvider(client, request)) is { } refused)
        {
            return refused;
        }

        var scopes = Scopes(client, request);
        return scopes.IsSuccess ? ValidatedAuthorize.Create(pool, client, request with { Scopes = scopes.Value }) : scopes.Error!;
    }

    /// <summary>The pool's client with this id, or null (for /logout, which checks its own list).</summary>
    public Task<UserPoolClient?> FindClientAsync(UserPool pool, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pools.GetClientAsync(pool.Id, clientId, cancellationToken);
    }

    /// <summary>RFC 6749 §3.1.2.3 and Cognito: the redirect URI is compared with each callback URL as a whole string.</summary>
    public static bool IsRegisteredRedirect(UserPoolClient client, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Settings.CallbackURLs?.Contains(redirectUri, StringComparer.Ordinal) == true;
    }

    /// <summary><c>code</c> needs the client's <c>code</c> flow, <c>token</c> its <c>implicit</c> flow.</summary>
    private static AwsError? CheckResponseType(UserPoolClient client, AuthorizeRequest request)
    {
        var flow = request.ResponseType switch
        {
            AuthorizeRequest.Code => "code",
            AuthorizeRequest.Token => "implicit",
            _ => null,
        };
        if (flow is null)
        {
            return AuthorizeErrors.UnsupportedResponseType;
        }

        return client.Settings.AllowedOAuthFlows?.Contains(flow, StringComparer.Ordinal) == true ? null : AuthorizeErrors.ResponseTypeNotAllowed;
    }

    /// <summary>
    /// RFC 7636: only S256 (Cognito supports no other method), a challenge of 43 to 128 unreserved characters (§4.2), and a
    /// challenge required of a client without a secret asking for a code (RFC 9700 §2.1.1: public clients use PKCE).
    /// </summary>
    private static AwsError? CheckPkce(UserPoolClient client, AuthorizeRequest request)
    {
        if (request.CodeChallenge is null)
        {
            if (request.CodeChallengeMethod is not null)
            {
                return AuthorizeErrors.PkceChallenge;
            }

            return request.ResponseType == AuthorizeRequest.Code && client.ClientSecret is null ? AuthorizeErrors.PkceRequired : null;
        }

        if (request.CodeChallengeMethod != S256)
        {
            return AuthorizeErrors.PkceMethod;
        }

        return Pkce.IsWellFormed(request.CodeChallenge) ? null : AuthorizeErrors.PkceChallenge;
    }

    /// <summary>identity_provider must be one of the client's SupportedIdentityProviders; idp_identifier is federation's to resolve.</summary>
    private static AwsError? CheckIdentityProvider(UserPoolClient client, AuthorizeRequest request) =>
        request.IdentityProvider is { } provider && client.Settings.SupportedIdentityProviders?.Contains(provider, StringComparer.Ordinal) != true
            ? AuthorizeErrors.UnknownIdentityProvider
            : null;

    /// <summary>Each requested scope must be one of the client's AllowedOAuthScopes; none requested means all of them.</summary>
    private static Result<IReadOnlyList<string>> Scopes(UserPoolClient client, AuthorizeRequest request)
    {
        var allowed = client.Settings.AllowedOAuthScopes ?? [];
        if (request.Scopes.Count == 0)
        {
            return allowed.Count > 0 ? Result<IReadOnlyList<string>>.Ok(allowed) : AuthorizeErrors.NoScopes;
        }

        return request.Scopes.All(s => allowed.Contains(s, StringComparer.Ordinal))
            ? Result<IReadOnlyList<string>>.Ok(request.Scopes)
            : AuthorizeErrors.InvalidScope;
    }
}
