using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Tests.UserPools.HostedUi;

/// <summary>The branding CSS: Cognito's class names with styling declarations pass; anything that could load or run, or break out of the style element, is refused.</summary>
[TestFixture]
public sealed class UiCssTests
{
    private const string Valid = ".banner-customizable { background-color: #0a66c2; padding: 4px; }\n"
        + ".submitButton-customizable:hover, .label-customizable { color: rgb(10, 20, 30); font-family: 'Helvetica Neue', sans-serif; }";

    [Test]
    public void Cognito_class_names_with_styling_declarations_are_accepted_and_rewritten_from_their_parsed_rules()
    {
        var result = UiCss.Sanitize("/* brand */ " + Valid);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(result.Value, Is.EqualTo(".banner-customizable { background-color: #0a66c2; padding: 4px; }\n"
            + ".submitButton-customizable:hover, .label-customizable { color: rgb(10, 20, 30); font-family: 'Helvetica Neue', sans-serif; }\n"));
    }

    [Test]
    public void An_empty_stylesheet_is_accepted() => Assert.That(UiCss.Sanitize("  ").Value, Is.Empty);

    private static IEnumerable<TestCaseData> Hostile()
    {
        yield return new TestCaseData("</style><script>alert(1)</script>").SetName("Closing the style element");
        yield return new TestCaseData("@import url(https://evil.example/x.css);").SetName("An @import");
        yield return new TestCaseData(".banner-customizable { background-color: url(javascript:alert(1)); }").SetName("A url() value");
        yield return new TestCaseData(".banner-customizable { width: expression(alert(1)); }").SetName("An expression()");
        yield return new TestCaseData(".banner-customizable { background-image: image-set('x.png' 1x); }").SetName("An image property");
        yield return new TestCaseData(".banner-customizable { color: \\75 rl(x); }").SetName("A CSS escape");
        yield return new TestCaseData("body { color: red; }").SetName("A selector outside the hosted UI classes");
        yield return new TestCaseData(".banner-customizable script { color: red; }").SetName("A descendant selector");
        yield return new TestCaseData(".banner-customizable { behavior: url(x.htc); }").SetName("The behavior property");
        yield return new TestCaseData(".banner-customizable { -moz-binding: url(x.xml#y); }").SetName("The -moz-binding property");
        yield return new TestCaseData(".banner-customizable { color: red; ").SetName("An unclosed rule");
        yield return new TestCaseData(".banner-customizable { color: red; } /* open").SetName("An unclosed comment");
        yield return new TestCaseData(".banner-customizable { color: var(--x); }").SetName("A function outside colours and calc");
        yield return new TestCaseData(".banner-customizable { color }").SetName("A declaration without a value");
    }

    [TestCaseSource(nameof(Hostile))]
    public void Css_that_could_do_more_than_style_is_refused_with_InvalidParameterException(string css)
    {
        var result = UiCss.Sanitize(css);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error!.Type, Is.EqualTo("InvalidParameterException"));
        Assert.That(result.Error.Message, Does.StartWith("The CSS is not valid: "));
    }
}
