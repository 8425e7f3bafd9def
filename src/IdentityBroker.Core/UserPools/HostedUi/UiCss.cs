using System.Collections.Frozen;
using System.Text;
using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.HostedUi;

/// <summary>
/// The branding CSS of SetUICustomization, checked so that it can only style the hosted pages. Cognito's developer guide
/// ("Customizing hosted UI (classic) branding") allows only its listed <c>*-customizable</c> class names; on top of that the
/// broker accepts only plain rules of those selectors with declarations of styling properties, and refuses what could
/// load or run anything: at-rules (<c>@import</c>), functions other than colours and <c>calc</c> (so no <c>url()</c>,
/// <c>expression()</c> or <c>image-set()</c>), escapes, and any markup character (so no <c>&lt;/style&gt;</c>).
/// <see cref="Sanitize"/> re-writes the accepted CSS from its parsed rules, so what reaches a page is only what was checked.
/// </summary>
public static class UiCss
{
    /// <summary>The class selectors of the classic hosted UI, with the pseudo-classes Cognito lists for some of them.</summary>
    public static readonly FrozenSet<string> Selectors = new[]
    {
        ".background-customizable", ".banner-customizable", ".errorMessage-customizable", ".idpButton-customizable",
        ".idpButton-customizable:hover", ".idpDescription-customizable", ".inputField-customizable",
        ".inputField-customizable:focus", ".label-customizable", ".legalText-customizable", ".logo-customizable",
        ".passwordCheck-valid-customizable", ".passwordCheck-notValid-customizable", ".redirect-customizable",
        ".socialButton-customizable", ".submitButton-customizable", ".submitButton-customizable:hover",
        ".textDescription-customizable",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Properties that only change how things look (no <c>content</c>, <c>behavior</c>, <c>-moz-binding</c>, images).</summary>
    public static readonly FrozenSet<string> Properties = new[]
    {
        "background-color", "border", "border-bottom", "border-color", "border-left", "border-radius", "border-right", "border-style",
        "border-top", "border-width", "box-shadow", "color", "display", "font-family", "font-size", "font-style", "font-weight",
        "height", "letter-spacing", "line-height", "margin", "margin-bottom", "margin-left", "margin-right", "margin-top",
        "max-height", "max-width", "min-height", "min-width", "opacity", "outline", "padding", "padding-bottom", "padding-left",
        "padding-right", "padding-top", "text-align", "text-decoration", "text-shadow", "text-transform", "width",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Functions = new[] { "rgb", "rgba", "hsl", "hsla", "calc" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The CSS re-written from its checked rules, or InvalidParameterException naming the first thing refused.</summary>
    public static Result<string> Sanitize(string css)
    {
        ArgumentNullException.ThrowIfNull(css);
        if (StripComments(css) is not { } text)
        {
            return Refused("a comment is not closed");
        }

        if (text.IndexOfAny(['<', '>', '\\', '@', '&']) is var bad and >= 0)
        {
            return Refused($"the character '{text[bad]}' is not allowed");
        }

        var output = new StringBuilder();
        var rest = text.AsSpan();
        while (!rest.Trim().IsEmpty)
        {
            var open = rest.IndexOf('{');
            var close = rest.IndexOf('}');
            if (open < 0 || close < open)
            {
                return Refused("a rule is not of the form 'selector { property: value; }'");
            }

            var rule = Rule(rest[..open].ToString(), rest[(open + 1)..close].ToString(), output);
            if (rule is not null)
            {
                return rule;
            }

            rest = rest[(close + 1)..];
        }

        return output.ToString();
    }

    private static AwsError? Rule(string selectorText, string body, StringBuilder output)
    {
        var selectors = selectorText.Split(',', StringSplitOptions.TrimEntries);
        if (selectors.FirstOrDefault(s => !Selectors.Contains(s)) is { } unknown)
        {
            return Refused(unknown.Length == 0 ? "a rule has no selector" : $"the selector '{unknown}' is not one of the hosted UI's class names");
        }

        output.Append(string.Join(", ", selectors)).Append(" {");
        foreach (var declaration in body.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            var property = colon < 0 ? declaration : declaration[..colon].Trim().ToLowerInvariant();
            if (colon < 0 || !Properties.Contains(property))
            {
                return Refused($"the property '{property}' is not allowed");
            }

            var value = declaration[(colon + 1)..].Trim();
            if (Value(value) is { } badValue)
            {
                return badValue;
            }

            output.Append(' ').Append(property).Append(": ").Append(value).Append(';');
        }

        output.Append(" }\n");
        return null;
    }

    /// <summary>A value: words, numbers, colours, quoted font names, and only the functions in <see cref="Functions"/>.</summary>
    private static AwsError? Value(string value)
    {
        if (value.Length == 0)
        {
            return Refused("a property has no value");
        }

        if (value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is ' ' or '#' or '%' or '.' or ',' or '(' or ')' or '-' or '+' or '*' or '/' or '!' or '"' or '\'')))
        {
            return Refused($"the value '{value}' has a character that is not allowed");
        }

        for (var i = value.IndexOf('(', StringComparison.Ordinal); i >= 0; i = value.IndexOf('(', i + 1))
        {
            var start = i;
            while (start > 0 && (char.IsAsciiLetter(value[start - 1]) || value[start - 1] == '-'))
            {
                start--;
            }

            var name = value[start..i].ToLowerInvariant();
            if (name.Length > 0 && !Functions.Contains(name))
            {
                return Refused($"the function '{name}()' is not allowed");
            }
        }

        return null;
    }

    private static string? StripComments(string css)
    {
        var output = new StringBuilder(css.Length);
        var i = 0;
        while (i < css.Length)
        {
            var start = css.IndexOf("/*", i, StringComparison.Ordinal);
            if (start < 0)
            {
                output.Append(css, i, css.Length - i);
                break;
            }

            var end = css.IndexOf("*/", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            output.Append(css, i, start - i).Append(' ');
            i = end + 2;
        }

        return output.ToString();
    }

    private static AwsError Refused(string why) => UserPoolErrors.InvalidParameter($"The CSS is not valid: {why}.");
}
