using IdentityBroker.Errors;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Server.OAuth;
using IdentityBroker.UserPools.HostedUi;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Pools;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace IdentityBroker.Server.HostedUi;

/// <summary>
/// The hosted UI pages on a pool's domain (docs/user-pools.md, "Hosted UI"): /login, /signup, /confirm, /forgotPassword,
/// /confirmForgotPassword, the challenge answers (/challenge: new password, MFA codes, MFA type, TOTP set-up) and the
/// logo (/logo). Each page request reads top-down: the pool of the Host → the authorize query, validated as
/// /oauth2/authorize validates it (an invalid one is shown as a page, never redirected) → on POST the form (bounded) and
/// its CSRF token → the page's own step (<see cref="SignInPages"/>, <see cref="AccountPages"/>).
/// </summary>
internal static class HostedUiEndpoints
{
    public const string CsrfField = "_csrf";

    /// <summary>A hosted form is small; anything bigger is refused before it is read.</summary>
    private const int MaxFormBytes = 16 * 1024;

    public static void MapHostedUi(this IEndpointRouteBuilder domain)
    {
        domain.MapGet("/login", (HttpRequest r) => Page(r.HttpContext, SignInPages.ShowAsync));
        domain.MapPost("/login", (HttpContext h, SignInPages p) => Post(h, p.SignInAsync));
        domain.MapPost("/challenge", (HttpContext h, SignInPages p) => Post(h, p.RespondAsync));
        domain.MapGet("/signup", (HttpRequest r) => Page(r.HttpContext, AccountPages.ShowSignUpAsync));
        domain.MapPost("/signup", (HttpContext h, AccountPages p) => Post(h, p.SignUpAsync));
        domain.MapGet("/confirm", (HttpRequest r) => Page(r.HttpContext, AccountPages.ShowConfirmAsync));
        domain.MapPost("/confirm", (HttpContext h, AccountPages p) => Post(h, p.ConfirmAsync));
        domain.MapGet("/forgotPassword", (HttpRequest r) => Page(r.HttpContext, AccountPages.ShowForgotAsync));
        domain.MapPost("/forgotPassword", (HttpContext h, AccountPages p) => Post(h, p.ForgotAsync));
        domain.MapGet("/confirmForgotPassword", (HttpRequest r) => Page(r.HttpContext, AccountPages.ShowResetAsync));
        domain.MapPost("/confirmForgotPassword", (HttpContext h, AccountPages p) => Post(h, p.ResetAsync));
        domain.MapGet("/logo", LogoAsync);
    }

    private static async Task<IResult> Page(HttpContext http, Func<HostedCall, Task<IResult>> page)
    {
        var call = await OpenAsync(http, form: null).ConfigureAwait(false);
        return call.Call is { } opened ? await page(opened).ConfigureAwait(false) : call.Refusal!;
    }

    private static async Task<IResult> Post(HttpContext http, Func<HostedCall, Task<IResult>> step)
    {
        var form = await ReadFormAsync(http).ConfigureAwait(false);
        if (form is null)
        {
            HostedUiSecurity.CommonHeaders(http);
            return Results.BadRequest();
        }

        var call = await OpenAsync(http, form).ConfigureAwait(false);
        if (call.Call is not { } opened)
        {
            return call.Refusal!;
        }

        var tokens = http.RequestServices.GetRequiredService<CsrfTokens>();
        return await HostedUiSecurity.CheckAsync(http, tokens, opened.Pool.Id, form).ConfigureAwait(false)
            ? await step(opened).ConfigureAwait(false)
            : await opened.Views.ErrorPageAsync(opened, StatusCodes.Status403Forbidden, opened.Views.Text["error.csrf"]).ConfigureAwait(false);
    }

    /// <summary>The pool, the validated authorize query, the CSRF form token and the branding of a page request.</summary>
    private static async Task<(HostedCall? Call, IResult? Refusal)> OpenAsync(HttpContext http, IReadOnlyDictionary<string, StringValues>? form)
    {
        var views = http.RequestServices.GetRequiredService<HostedViews>();
        if (http.UserPoolDomain() is not { } pool)
        {
            return (null, Results.NotFound());
        }

        // RFC 6749 §3.1: a parameter sent twice makes the request invalid, as at /oauth2/authorize.
        var query = OAuthQuery.Single(http.Request.Query);
        var request = query is null ? null : AuthorizeRequest.FromQuery(query);
        var authorizer = http.RequestServices.GetRequiredService<AuthorizeRequests>();
        var validated = request is null ? (Result<ValidatedAuthorize>?)null : await authorizer.ValidateAsync(pool, request, http.RequestAborted).ConfigureAwait(false);
        if (validated is not { IsSuccess: true } valid)
        {
            // Never redirected from here: a page whose client or redirect_uri may be wrong must not send the browser anywhere.
            var message = validated?.Error?.Message ?? views.Text["error.request"];
            return (null, await views.BarePageAsync(http, StatusCodes.Status400BadRequest, message).ConfigureAwait(false));
        }

        var csrf = await http.RequestServices.GetRequiredService<CsrfTokens>()
            .FormTokenAsync(HostedUiSecurity.CookieToken(http), pool.Id, http.RequestAborted).ConfigureAwait(false);
        var branding = await http.RequestServices.GetRequiredService<UiCustomizationOperations>()
            .ForPageAsync(pool.Id, valid.Value.Client.ClientId, http.RequestAborted).ConfigureAwait(false);
        return (new HostedCall(http, pool, valid.Value, csrf, form ?? new Dictionary<string, StringValues>(), branding, views), null);
    }

    /// <summary>An urlencoded form of at most <see cref="MaxFormBytes"/>; null for anything else.</summary>
    private static Task<IReadOnlyDictionary<string, StringValues>?> ReadFormAsync(HttpContext http) =>
        ReadFormAsync(http, MaxFormBytes, valueCount: 64, valueLength: 4096);

    /// <summary>An urlencoded form within the given bounds (the console's forms are bigger); null for anything else.</summary>
    internal static async Task<IReadOnlyDictionary<string, StringValues>?> ReadFormAsync(HttpContext http, int maxBytes, int valueCount, int valueLength)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || request.ContentLength is null || request.ContentLength > maxBytes)
        {
            return null;
        }

        try
        {
            using var reader = new FormReader(request.Body) { ValueCountLimit = valueCount, KeyLengthLimit = 128, ValueLengthLimit = valueLength };
            return await reader.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The logo of a client's (or the pool's) customization, as the bytes it was set with.</summary>
    private static Task<IResult> LogoAsync(HttpContext http, UiCustomizationOperations customizations) =>
        http.UserPoolDomain() is { } pool ? LogoOfPoolAsync(http, customizations, pool.Id) : Task.FromResult(Results.NotFound());

    /// <summary>
    /// The same logo at GetUICustomization's ImageUrl, <c>&lt;issuer&gt;/&lt;userPoolId&gt;/logo?client_id=…</c> on the
    /// broker's own host, so that it loads for a pool without a domain too. An image, never a page: nosniff and no caching
    /// by intermediaries, as on the domain.
    /// </summary>
    public static void MapIssuerLogo(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/{userPoolId}" + UiCustomizationWire.IssuerLogoPath, (HttpContext http, string userPoolId, UiCustomizationOperations customizations) =>
            UserPools.Tokens.UserPoolIssuer.IsPoolId(userPoolId) ? LogoOfPoolAsync(http, customizations, userPoolId) : Task.FromResult(Results.NotFound()));
    }

    private static async Task<IResult> LogoOfPoolAsync(HttpContext http, UiCustomizationOperations customizations, string userPoolId)
    {
        HostedUiSecurity.CommonHeaders(http);
        var clientId = http.Request.Query["client_id"].ToString();
        if (clientId.Length is 0 or > 128)
        {
            return Results.NotFound();
        }

        UiCustomization? customization;
        try
        {
            customization = await customizations.ForPageAsync(userPoolId, clientId, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Storage.StoreUnavailableException)
        {
            return Results.Text("store unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return customization?.Logo is { } logo ? Results.File(logo.Bytes, logo.ContentType) : Results.NotFound();
    }
}

/// <summary>One validated hosted page request.</summary>
internal sealed record HostedCall(
    HttpContext Http, UserPool Pool, ValidatedAuthorize Authorize, string Csrf, IReadOnlyDictionary<string, StringValues> Form,
    UiCustomization? Branding, HostedViews Views)
{
    public UserPoolClient Client => Authorize.Client;

    /// <summary>A page path with the authorize query it carries, and optionally more (a username, an info message id).</summary>
    public string Path(string path, params (string Name, string? Value)[] extra)
    {
        var url = path + "?" + Authorize.Request.ToQueryString();
        foreach (var (name, value) in extra)
        {
            if (!string.IsNullOrEmpty(value))
            {
                url += "&" + name + "=" + Uri.EscapeDataString(value);
            }
        }

        return url;
    }

    /// <summary>A single-valued form field, trimmed of nothing (passwords keep their spaces); null when absent or repeated.</summary>
    public string? Field(string name) => Form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    public string? QueryValue(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) && values.Count == 1 && values[0]!.Length <= 256 ? values[0] : null;
}
