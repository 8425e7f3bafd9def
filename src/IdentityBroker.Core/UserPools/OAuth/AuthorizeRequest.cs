using System.Text;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// The parameters of an <c>/oauth2/authorize</c> request (Cognito developer guide, "Authorize endpoint"; RFC 6749 §4.1.1,
/// §4.2.1; RFC 7636 §4.3; OIDC Core §3.1.2.1). The hosted pages carry it from page to page as its query, as Cognito's do.
/// </summary>
/// <param name="ResponseType"><c>code</c> or <c>token</c>; anything else is refused by <see cref="AuthorizeRequests"/>.</param>
/// <param name="Scopes">As requested; empty when the request named none (the client's allowed scopes then apply).</param>
/// <param name="Prompt">OIDC <c>prompt</c>; <c>login</c> asks for a new sign-in even with a current session.</param>
public sealed record AuthorizeRequest(
    string ClientId,
    string RedirectUri,
    string ResponseType,
    IReadOnlyList<string> Scopes,
    string? State = null,
    string? Nonce = null,
    string? CodeChallenge = null,
    string? CodeChallengeMethod = null,
    string? IdentityProvider = null,
    string? IdpIdentifier = null,
    string? LoginHint = null,
    string? Prompt = null)
{
    public const string Code = "code";
    public const string Token = "token";

    /// <summary>No parameter of an authorize request is longer in practice; longer ones are refused, not stored.</summary>
    public const int MaxParameterLength = 2048;

    private static readonly (string Name, Func<AuthorizeRequest, string?> Value)[] Parameters =
    [
        ("client_id", r => r.ClientId),
        ("response_type", r => r.ResponseType),
        ("redirect_uri", r => r.RedirectUri),
        ("scope", r => r.Scopes.Count > 0 ? string.Join(' ', r.Scopes) : null),
        ("state", r => r.State),
        ("nonce", r => r.Nonce),
        ("code_challenge", r => r.CodeChallenge),
        ("code_challenge_method", r => r.CodeChallengeMethod),
        ("identity_provider", r => r.IdentityProvider),
        ("idp_identifier", r => r.IdpIdentifier),
        ("login_hint", r => r.LoginHint),
        ("prompt", r => r.Prompt),
    ];

    /// <summary>
    /// The request a query names; null without <c>client_id</c> or <c>redirect_uri</c> (nothing to redirect an error to), or
    /// with a parameter longer than <see cref="MaxParameterLength"/>. An empty value reads as absent.
    /// </summary>
    public static AuthorizeRequest? FromQuery(IReadOnlyDictionary<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Values.Any(v => v is { Length: > MaxParameterLength }))
        {
            return null;
        }

        string? Get(string name) => query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        if (Get("client_id") is not { } clientId || Get("redirect_uri") is not { } redirectUri)
        {
            return null;
        }

        var scopes = (Get("scope") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AuthorizeRequest(clientId, redirectUri, Get("response_type") ?? string.Empty, scopes.Distinct(StringComparer.Ordinal).ToArray(),
            Get("state"), Get("nonce"), Get("code_challenge"), Get("code_challenge_method"), Get("identity_provider"),
            Get("idp_identifier"), Get("login_hint"), Get("prompt"));
    }

    /// <summary>The request as a query string (no leading <c>?</c>), every value percent-encoded.</summary>
    public string ToQueryString()
    {
        var query = new StringBuilder();
        foreach (var (name, value) in Parameters)
        {
            if (value(this) is { } v)
            {
                query.Append(query.Length > 0 ? "&" : string.Empty).Append(name).Append('=').Append(Uri.EscapeDataString(v));
            }
        }

        return query.ToString();
    }

    /// <summary>OIDC Core §3.1.2.1: <c>prompt=login</c> asks the server to authenticate the user again.</summary>
    public bool ForcesLogin => Prompt is { } prompt && prompt.Split(' ').Contains("login", StringComparer.Ordinal);
}
