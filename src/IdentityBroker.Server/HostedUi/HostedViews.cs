using System.Text;
using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Server.HostedUi;

/// <summary>Writes hosted pages: the security headers, the branding (sanitized CSS, logo URL) and the HTML of a <see cref="HostedPage"/>.</summary>
internal sealed class HostedViews
{
    public HostedUiText Text { get; } = HostedUiText.English;

    public HostedPage NewPage(string titleId) => new(Text, titleId);

    public static Task<IResult> HtmlAsync(HostedCall call, HostedPage page, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(page);
        var nonce = HostedUiSecurity.PageHeaders(call.Http, new Uri(call.Authorize.Request.RedirectUri));
        var css = call.Branding?.Css is { } set && UiCss.Sanitize(set) is { IsSuccess: true } clean ? clean.Value : null;
        var logo = call.Branding?.Logo is null ? null : UiCustomizationWire.LogoPath(call.Branding);
        return Task.FromResult(Results.Content(page.Render(nonce, css, logo), "text/html; charset=utf-8", Encoding.UTF8, status));
    }

    public Task<IResult> ErrorPageAsync(HostedCall call, int status, string message) =>
        HtmlAsync(call, NewPage("page.error.title").Error(message), status);

    /// <summary>A page without the request's branding or form targets: the authorize request itself was refused.</summary>
    public Task<IResult> BarePageAsync(HttpContext http, int status, string message)
    {
        var nonce = HostedUiSecurity.PageHeaders(http, null);
        var html = NewPage("page.error.title").Error(message).Render(nonce, null, null);
        return Task.FromResult(Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status));
    }
}
