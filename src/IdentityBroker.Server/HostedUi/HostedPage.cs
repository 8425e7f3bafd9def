using System.Text;
using System.Text.Encodings.Web;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Server.HostedUi;

/// <summary>One input of a hosted form: its name, label message id, type and autocomplete hint; a value only for non-secrets.</summary>
internal sealed record FormField(string Name, string LabelId, string Type = "text", string? Autocomplete = null, string? Value = null, bool Required = true)
{
    /// <summary>A label that is data rather than a message (an attribute name); encoded like the rest.</summary>
    public string? LabelText { get; init; }
}

/// <summary>A choice of a select field (SELECT_MFA_TYPE): the value sent and its label message id.</summary>
internal sealed record FormChoice(string Value, string LabelId);

/// <summary>
/// One server-rendered hosted page: plain HTML that works without JavaScript, each input with its own
/// <c>&lt;label for&gt;</c>, the error in a <c>role="alert"</c> region, in document order so that Tab walks the form. Every
/// text and attribute value goes through <see cref="HtmlEncoder"/>; the branding CSS is only the output of
/// <see cref="UiCss.Sanitize"/>, in a <c>&lt;style&gt;</c> allowed by the page's CSP nonce. The class names are those of
/// Cognito's classic hosted UI, so that branding CSS written for Cognito styles these pages.
/// </summary>
internal sealed class HostedPage(HostedUiText text, string titleId)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private readonly StringBuilder _body = new();

    public HostedPage Heading(string message)
    {
        _body.Append("<p class=\"textDescription-customizable\">").Append(Html.Encode(message)).Append("</p>\n");
        return this;
    }

    public HostedPage Error(string? message)
    {
        if (!string.IsNullOrEmpty(message))
        {
            _body.Append("<p class=\"errorMessage-customizable\" role=\"alert\" id=\"error\">").Append(Html.Encode(message)).Append("</p>\n");
        }

        return this;
    }

    public HostedPage Info(string? message)
    {
        if (!string.IsNullOrEmpty(message))
        {
            _body.Append("<p class=\"textDescription-customizable\" role=\"status\" id=\"info\">").Append(Html.Encode(message)).Append("</p>\n");
        }

        return this;
    }

    /// <summary>A QR code image (a PNG data URI) with its text alternative, and the secret as text for manual entry.</summary>
    public HostedPage Qr(string pngDataUri, string secret)
    {
        _body.Append("<img id=\"qr\" class=\"qr\" src=\"").Append(Html.Encode(pngDataUri)).Append("\" alt=\"")
            .Append(Html.Encode(text["qr.alt"])).Append("\">\n<p><span class=\"label-customizable\">").Append(Html.Encode(text["field.secret"]))
            .Append(":</span> <code id=\"secret\">").Append(Html.Encode(secret)).Append("</code></p>\n");
        return this;
    }

    /// <summary>A POST form to <paramref name="action"/> carrying the CSRF token, hidden values, inputs, choices and a submit button.</summary>
    public HostedPage Form(string action, string csrf, IReadOnlyDictionary<string, string> hidden, IReadOnlyList<FormField> fields, string submitId,
        IReadOnlyList<FormChoice>? choices = null, string? secondarySubmitId = null)
    {
        _body.Append("<form method=\"post\" action=\"").Append(Html.Encode(action)).Append("\">\n");
        Hidden(HostedUiEndpoints.CsrfField, csrf);
        foreach (var (name, value) in hidden)
        {
            Hidden(name, value);
        }

        foreach (var field in fields)
        {
            Input(field);
        }

        if (choices is { Count: > 0 })
        {
            Choices(choices);
        }

        _body.Append("<button type=\"submit\" class=\"btn submitButton-customizable\">").Append(Html.Encode(text[submitId])).Append("</button>\n");
        if (secondarySubmitId is not null)
        {
            _body.Append("<button type=\"submit\" name=\"action\" value=\"resend\" formnovalidate class=\"btn redirect-customizable\">")
                .Append(Html.Encode(text[secondarySubmitId])).Append("</button>\n");
        }

        _body.Append("</form>\n");
        return this;
    }

    /// <summary>
    /// The provider buttons: links (so Tab reaches them and Enter follows them, with no script), each named by its
    /// provider, in Cognito's classes so that branding CSS styles them.
    /// </summary>
    public HostedPage Providers(IReadOnlyList<ProviderButton> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        if (buttons.Count == 0)
        {
            return this;
        }

        _body.Append("<nav class=\"idp-buttons\" aria-label=\"").Append(Html.Encode(text["idp.description"])).Append("\">\n<p class=\"idpDescription-customizable\">")
            .Append(Html.Encode(text["idp.description"])).Append("</p>\n");
        foreach (var button in buttons)
        {
            var label = button.Social ? text["idp.social"].Replace("{0}", button.ProviderName, StringComparison.Ordinal) : button.ProviderName;
            _body.Append("<a class=\"btn ").Append(button.Social ? "socialButton-customizable" : "idpButton-customizable").Append("\" href=\"")
                .Append(Html.Encode(button.Href)).Append("\">").Append(Html.Encode(label)).Append("</a>\n");
        }

        _body.Append("<p class=\"textDescription-customizable\">").Append(Html.Encode(text["idp.or"])).Append("</p>\n</nav>\n");
        return this;
    }

    public HostedPage Link(string href, string labelId)
    {
        _body.Append("<p><a class=\"redirect-customizable\" href=\"").Append(Html.Encode(href)).Append("\">").Append(Html.Encode(text[labelId]))
            .Append("</a></p>\n");
        return this;
    }

    /// <summary>The whole document. <paramref name="logoUrl"/> and <paramref name="brandingCss"/> come from the pool's customization.</summary>
    public string Render(string styleNonce, string? brandingCss, string? logoUrl)
    {
        var title = Html.Encode(text[titleId]);
        var page = new StringBuilder(4096)
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(Html.Encode(text.Culture)).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").Append(title).Append("</title>\n")
            .Append("<style nonce=\"").Append(styleNonce).Append("\">").Append(HostedUiStyle.Default).Append("</style>\n");
        if (!string.IsNullOrEmpty(brandingCss))
        {
            page.Append("<style nonce=\"").Append(styleNonce).Append("\" id=\"branding\">\n").Append(brandingCss).Append("</style>\n");
        }

        page.Append("</head>\n<body>\n<main class=\"background-customizable modal-content\">\n<div class=\"banner-customizable\">");
        if (logoUrl is not null)
        {
            page.Append("<img class=\"logo-customizable\" id=\"logo\" src=\"").Append(Html.Encode(logoUrl)).Append("\" alt=\"Logo\">");
        }

        return page.Append("</div>\n<h1>").Append(title).Append("</h1>\n").Append(_body).Append("</main>\n</body>\n</html>\n").ToString();
    }

    private void Hidden(string name, string value) =>
        _body.Append("<input type=\"hidden\" name=\"").Append(Html.Encode(name)).Append("\" value=\"").Append(Html.Encode(value)).Append("\">\n");

    private void Input(FormField field)
    {
        var id = "f_" + field.Name.Replace('.', '_');
        _body.Append("<label class=\"label-customizable\" for=\"").Append(Html.Encode(id)).Append("\">").Append(Html.Encode(field.LabelText ?? text[field.LabelId]))
            .Append("</label>\n<input class=\"inputField-customizable\" id=\"").Append(Html.Encode(id)).Append("\" name=\"").Append(Html.Encode(field.Name))
            .Append("\" type=\"").Append(Html.Encode(field.Type)).Append('"');
        if (field.Autocomplete is not null)
        {
            _body.Append(" autocomplete=\"").Append(Html.Encode(field.Autocomplete)).Append('"');
        }

        if (field.Value is not null)
        {
            _body.Append(" value=\"").Append(Html.Encode(field.Value)).Append('"');
        }

        _body.Append(field.Required ? " required>\n" : ">\n");
    }

    private void Choices(IReadOnlyList<FormChoice> choices)
    {
        _body.Append("<fieldset><legend class=\"label-customizable\">").Append(Html.Encode(text["field.mfaType"])).Append("</legend>\n");
        for (var i = 0; i < choices.Count; i++)
        {
            var id = "c_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _body.Append("<input type=\"radio\" name=\"answer\" id=\"").Append(id).Append("\" value=\"").Append(Html.Encode(choices[i].Value)).Append('"')
                .Append(i == 0 ? " checked" : string.Empty).Append("> <label for=\"").Append(id).Append("\">").Append(Html.Encode(text[choices[i].LabelId]))
                .Append("</label><br>\n");
        }

        _body.Append("</fieldset>\n");
    }
}

/// <summary>The pages' own look, before any branding CSS (which comes after it and so overrides it).</summary>
internal static class HostedUiStyle
{
    public const string Default =
        "body{font-family:system-ui,sans-serif;background:#f4f4f4;margin:0;padding:2em 1em}"
        + "main{max-width:24em;margin:0 auto;background:#fff;padding:1.5em;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.2)}"
        + "h1{font-size:1.3em}label{display:block;margin-top:.8em}input[type=text],input[type=password],input[type=email],input[type=tel]"
        + "{width:100%;box-sizing:border-box;padding:.5em;margin-top:.3em}.btn{margin-top:1.2em;padding:.6em 1.2em;width:100%}"
        + ".errorMessage-customizable{color:#b00020}.banner-customizable{text-align:center}.logo-customizable{max-width:100%;max-height:178px}"
        + ":focus{outline:3px solid #1a73e8;outline-offset:2px}fieldset{border:0;padding:0;margin-top:1em}"
        + "a.btn{display:block;box-sizing:border-box;text-align:center;border:1px solid #888;color:inherit;text-decoration:none}";
}
