using IdentityBroker.Server.HostedUi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace IdentityBroker.Server.Console;

/// <summary>
/// The console's routes (docs/console.md). Sign-in is open; every other page goes through <see cref="SessionFilterAsync"/>:
/// the security headers → a live session (else the sign-in page for a GET, 403 for a POST) → for a POST, the bounded form
/// and its CSRF token bound to the session → the page.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Root = "/console";

    /// <summary>
    /// The expression-rule editor is the biggest form: up to 1,000 rules of six fields, as much as the rules API's 1 MB body.
    /// </summary>
    private const int MaxFormBytes = 1024 * 1024;

    private const int MaxFormValues = 8192;

    public static void MapConsole(this WebApplication app)
    {
        app.MapGet(Root + "/assets/console.css", (HttpContext http) =>
        {
            HostedUiSecurity.CommonHeaders(http);
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(ConsoleStyle.Css, "text/css; charset=utf-8");
        });
        app.MapGet(Root + "/signin", SignInPageAsync);
        app.MapPost(Root + "/signin", SignInAsync);

        var pages = app.MapGroup(Root).AddEndpointFilter(SessionFilterAsync);
        pages.MapGet("", OverviewPage.ShowAsync);
        pages.MapPost("/signout", SignOutAsync);
        pages.MapGet("/pools", PoolPages.ListAsync);
        pages.MapPost("/pools", PoolPages.CreateAsync);
        pages.MapGet("/pools/{id}", PoolPages.ShowAsync);
        pages.MapPost("/pools/{id}/roles", PoolPages.RolesAsync);
        pages.MapPost("/pools/{id}/settings", PoolPages.SettingsAsync);
        pages.MapPost("/pools/{id}/expressions", PoolPages.ExpressionRulesAsync);
        pages.MapPost("/pools/{id}/simulate", PoolPages.SimulateAsync);
        pages.MapGet("/identities", IdentityPages.SearchAsync);
        pages.MapGet("/identities/{id}", IdentityPages.ShowAsync);
        pages.MapPost("/identities/{id}/disable", IdentityPages.DisableAsync);
        pages.MapPost("/identities/{id}/delete", IdentityPages.DeleteAsync);
        pages.MapGet("/iam", IamPage.ShowAsync);
        pages.MapGet("/userpools", UserPoolPages.ListAsync);
        pages.MapGet("/userpools/{id}", UserPoolPages.ShowAsync);
        pages.MapGet("/audit", AuditPages.ListAsync);
        pages.MapGet("/audit/{eventId}", AuditPages.ShowAsync);
    }

    /// <summary>A page component with its parameters; the status code of an error page.</summary>
    public static RazorComponentResult<TPage> Page<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };

    private static async ValueTask<object?> SessionFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        ConsoleSecurity.Headers(http);
        var session = await http.RequestServices.GetRequiredService<ConsoleSessions>().CurrentAsync(http);
        var isPost = HttpMethods.IsPost(http.Request.Method);
        if (session is null)
        {
            return isPost ? Message("Signed out", "Your console session has ended. Sign in again.", StatusCodes.Status403Forbidden)
                : Results.Redirect(Root + "/signin");
        }

        var security = http.RequestServices.GetRequiredService<ConsoleSecurity>();
        IReadOnlyDictionary<string, StringValues> form = new Dictionary<string, StringValues>();
        if (isPost)
        {
            if (await HostedUiEndpoints.ReadFormAsync(http, MaxFormBytes, valueCount: MaxFormValues, valueLength: 16 * 1024) is not { } posted)
            {
                return Message("Bad request", "The form could not be read.", StatusCodes.Status400BadRequest);
            }

            if (!await security.CheckAsync(http, session.CsrfBinding, posted))
            {
                return Message("Refused", "The form's security token is missing or stale. Reload the page and try again.", StatusCodes.Status403Forbidden);
            }

            form = posted;
        }

        http.Items[ConsoleCall.ItemKey] = new ConsoleCall(http, session, await security.FormTokenAsync(http, session.CsrfBinding), form);
        return await next(context);
    }

    private static async Task<IResult> SignInPageAsync(HttpContext http, ConsoleSecurity security)
    {
        ConsoleSecurity.Headers(http);
        return Page<SignInView>(new { Csrf = await security.FormTokenAsync(http, ConsoleSecurity.SignInBinding) });
    }

    private static async Task<IResult> SignInAsync(HttpContext http, ConsoleSecurity security, ConsoleSignIn signIn, ConsoleSessions sessions)
    {
        ConsoleSecurity.Headers(http);
        var form = await HostedUiEndpoints.ReadFormAsync(http, 8 * 1024, valueCount: 16, valueLength: 1024);
        if (form is null || !await security.CheckAsync(http, ConsoleSecurity.SignInBinding, form))
        {
            return Message("Refused", "The form's security token is missing or stale. Reload the page and try again.", StatusCodes.Status403Forbidden);
        }

        var keyId = Single(form, "accessKeyId");
        if (!await signIn.CheckAsync(keyId, Single(form, "secretAccessKey"), http.RequestAborted))
        {
            var csrf = await security.FormTokenAsync(http, ConsoleSecurity.SignInBinding);
            // The form again with its message, as a page (200): Chromium reports any 4xx document as a console error.
            return Page<SignInView>(new { Csrf = csrf, Error = "The access key ID or secret access key is not right.", AccessKeyId = keyId });
        }

        await sessions.StartAsync(http, keyId!);
        return Results.Redirect(Root, permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, ConsoleSessions sessions)
    {
        await sessions.EndAsync(http, ConsoleCall.Of(http).Session);
        return Results.Redirect(Root + "/signin");
    }

    /// <summary>A page that only says something (a refusal, a missing thing).</summary>
    public static IResult Message(string title, string text, int status) => Page<MessageView>(new { Title = title, Text = text }, status);

    private static string? Single(IReadOnlyDictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}
