using System.Security.Cryptography;
using IdentityBroker.UserPools.HostedUi;
using Microsoft.Extensions.Primitives;

namespace IdentityBroker.Server.HostedUi;

/// <summary>
/// The web-security side of every hosted page: the response headers (a CSP with <c>frame-ancestors 'none'</c> and a nonce
/// for the page's own styles, <c>X-Frame-Options: DENY</c>, no sniffing, no referrer, no caching) and the CSRF cookie
/// (<see cref="CsrfTokens"/>): HttpOnly, SameSite=Lax, Secure and <c>__Host-</c> prefixed over https.
/// </summary>
internal static class HostedUiSecurity
{
    /// <summary>Over plain http (local development) the cookie cannot take the <c>__Host-</c> prefix, which requires Secure.</summary>
    public const string CsrfCookie = "XSRF-TOKEN";
    public const string SecureCsrfCookie = "__Host-XSRF-TOKEN";

    /// <summary>
    /// Sets the headers of a page. <paramref name="formTarget"/> is the origin a form of the page may end at besides the
    /// domain itself (the client's redirect_uri, since a successful sign-in POST is answered with a redirect to it, and
    /// Chromium applies form-action to that redirect).
    /// </summary>
    public static string PageHeaders(HttpContext http, Uri? formTarget)
    {
        ArgumentNullException.ThrowIfNull(http);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var formAction = formTarget is { IsAbsoluteUri: true } ? $"'self' {formTarget.GetLeftPart(UriPartial.Authority)}" : "'self'";
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; form-action {formAction}; "
            + "frame-ancestors 'none'; base-uri 'none'";
        CommonHeaders(http);
        return nonce;
    }

    /// <summary>Headers of every response of the hosted UI, pages or not.</summary>
    public static void CommonHeaders(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var headers = http.Response.Headers;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    /// <summary>The browser's CSRF cookie token; a new one (set on the response) when it has none or a malformed one.</summary>
    public static string CookieToken(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var name = CookieName(http);
        if (http.Request.Cookies.TryGetValue(name, out var existing) && CsrfTokens.IsWellFormed(existing))
        {
            return existing!;
        }

        var token = CsrfTokens.NewCookieToken();
        http.Response.Cookies.Append(name, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
        return token;
    }

    /// <summary>The POST's CSRF check: the form's token must be the MAC of the cookie it came with.</summary>
    public static Task<bool> CheckAsync(HttpContext http, CsrfTokens tokens, string userPoolId, IReadOnlyDictionary<string, StringValues> form)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(form);
        http.Request.Cookies.TryGetValue(CookieName(http), out var cookie);
        var field = form.TryGetValue(HostedUiEndpoints.CsrfField, out var values) && values.Count == 1 ? values[0] : null;
        return tokens.CheckAsync(cookie, userPoolId, field, http.RequestAborted);
    }

    private static string CookieName(HttpContext http) => http.Request.IsHttps ? SecureCsrfCookie : CsrfCookie;
}
