using System.Text.Encodings.Web;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// The answers of the browser-facing endpoints: the error page for what must not be redirected (an unknown client, a
/// redirect URI not registered: RFC 6749 §4.1.2.1), and the redirect back to the client with an error otherwise.
/// </summary>
internal static class OAuthPages
{
    public static IResult Error(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var html = HtmlEncoder.Default;
        var body = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Error</title></head>
            <body><main><h1>An error was encountered with the requested page.</h1>
            <p>{html.Encode(error.Type)}: {html.Encode(error.Message)}</p></main></body></html>
            """;
        return new PageResult(body, 400);
    }

    /// <summary>RFC 6749 §4.1.2.1 and §4.2.2.1: <c>error</c>, <c>error_description</c> and <c>state</c> to the registered redirect URI.</summary>
    public static IResult RedirectError(AuthorizeRequest request, AwsError error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        (string, string?)[] parameters = [("error", error.Type), ("error_description", error.Message), ("state", request.State)];
        var uri = request.ResponseType == AuthorizeRequest.Token
            ? AuthorizationCompletion.WithFragment(request.RedirectUri, parameters)
            : AuthorizationCompletion.WithQuery(request.RedirectUri, parameters);
        return Results.Redirect(uri.AbsoluteUri);
    }

    /// <summary>An HTML page that no other origin may frame or sniff as something else.</summary>
    private sealed class PageResult(string body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            response.Headers.CacheControl = "no-store";
            return response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
