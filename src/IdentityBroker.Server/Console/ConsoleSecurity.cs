using IdentityBroker.Server.HostedUi;
using IdentityBroker.UserPools.HostedUi;
using Microsoft.Extensions.Primitives;

namespace IdentityBroker.Server.Console;

/// <summary>
/// The web-security side of the console: a strict CSP (only the console's own stylesheet and script, no inline code, no
/// framing, forms only to itself), the hosted UI's common headers, and the hosted UI's CSRF defence
/// (<see cref="HostedUiSecurity.CookieToken"/> and <see cref="CsrfTokens"/>) with the token bound to the session.
/// </summary>
internal sealed class ConsoleSecurity(CsrfTokens tokens)
{
    /// <summary>The binding of the sign-in form, which has no session yet.</summary>
    public const string SignInBinding = "console:sign-in";

    public const string Policy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    public static void Headers(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ContentSecurityPolicy = Policy;
        HostedUiSecurity.CommonHeaders(http);
    }

    public Task<string> FormTokenAsync(HttpContext http, string binding) =>
        tokens.FormTokenAsync(HostedUiSecurity.CookieToken(http), binding, http.RequestAborted);

    public Task<bool> CheckAsync(HttpContext http, string binding, IReadOnlyDictionary<string, StringValues> form) =>
        HostedUiSecurity.CheckAsync(http, tokens, binding, form);
}
