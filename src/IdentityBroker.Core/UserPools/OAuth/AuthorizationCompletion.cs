using System.Globalization;
using System.Text;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// The end of a successful browser sign-in: the redirect back to the client. For <c>code</c> a new authorization code
/// (<see cref="AuthorizationCodes"/>) in the query, with <c>state</c> (RFC 6749 §4.1.2); for <c>token</c> the tokens in the
/// fragment (§4.2.2), from a new session so that RevokeToken and GlobalSignOut end them like any other.
/// </summary>
public sealed class AuthorizationCompletion(AuthorizationCodes codes, SignInSteps steps, UserPoolSessions sessions)
{
    public async Task<Uri> CompleteAsync(ValidatedAuthorize validated, PoolUser user, DateTimeOffset authTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validated);
        ArgumentNullException.ThrowIfNull(user);
        var request = validated.Request;
        if (request.ResponseType == AuthorizeRequest.Code)
        {
            var code = await codes.IssueAsync(validated, user.Sub, authTime, cancellationToken).ConfigureAwait(false);
            return WithQuery(request.RedirectUri, [("code", code), ("state", request.State)]);
        }

        var granted = await steps.GrantAsync(validated.Client, user, cancellationToken).ConfigureAwait(false);
        var grant = await steps.CustomizeAsync(validated.Pool, user, granted with { AuthTime = authTime, Scopes = request.Scopes, Nonce = request.Nonce },
            Triggers.TokenTriggers.HostedAuth, cancellationToken).ConfigureAwait(false);
        if (!grant.IsSuccess)
        {
            // RFC 6749 §4.2.2.1: the error goes back to the client in the fragment, with the state.
            return WithFragment(request.RedirectUri,
                [("error", "invalid_request"), ("error_description", grant.Error!.Message), ("state", request.State)]);
        }

        var tokens = await sessions.StartAsync(grant.Value, cancellationToken).ConfigureAwait(false);
        return WithFragment(request.RedirectUri,
        [
            ("access_token", tokens.AccessToken),
            ("id_token", OAuthScopes.HasOpenId(request.Scopes) ? tokens.IdToken : null),
            ("token_type", tokens.TokenType),
            ("expires_in", tokens.ExpiresIn.ToString(CultureInfo.InvariantCulture)),
            ("state", request.State),
        ]);
    }

    /// <summary>The redirect URI with the parameters added to its query (RFC 6749 §3.1.2: its own query is kept).</summary>
    public static Uri WithQuery(string redirectUri, IEnumerable<(string Name, string? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var fragment = redirectUri.IndexOf('#', StringComparison.Ordinal);
        var bare = fragment >= 0 ? redirectUri[..fragment] : redirectUri;
        return new Uri(bare + (bare.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Encode(parameters));
    }

    public static Uri WithFragment(string redirectUri, IEnumerable<(string Name, string? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var fragment = redirectUri.IndexOf('#', StringComparison.Ordinal);
        return new Uri((fragment >= 0 ? redirectUri[..fragment] : redirectUri) + "#" + Encode(parameters));
    }

    private static string Encode(IEnumerable<(string Name, string? Value)> parameters)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                text.Append(text.Length > 0 ? "&" : string.Empty).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return text.ToString();
    }
}
