using IdentityBroker.Server.HostedUi;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Tests.UserPools.HostedUi;

/// <summary>What a hosted page renders: every value encoded, labels bound to their inputs, the CSRF token in the form.</summary>
[TestFixture]
public sealed class HostedPageTests
{
    private const string Script = "\"><script>alert(1)</script>";

    private static string Render(Func<HostedPage, HostedPage> build, string? css = null, string? logo = null) =>
        build(new HostedPage(HostedUiText.English, "page.signIn.title")).Render("nonce123", css, logo);

    [Test]
    public void A_username_error_hidden_value_link_and_logo_carrying_script_are_rendered_inert()
    {
        var html = Render(p => p.Error(Script).Info(Script)
            .Form("/login?state=" + Script, "csrf", new Dictionary<string, string> { ["session"] = Script },
                [new FormField("username", "field.username", Value: Script), new FormField("userAttributes.x", "field.username") { LabelText = Script }],
                "button.signIn")
            .Link("/signup?x=" + Script, "link.signUp"), logo: "/logo?v=" + Script);

        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    [Test]
    public void Each_input_has_a_label_for_it_and_the_form_posts_the_csrf_token()
    {
        var html = Render(p => p.Form("/login?client_id=c", "the-token", new Dictionary<string, string>(),
            [new FormField("username", "field.username", Autocomplete: "username"), new FormField("password", "field.password", "password")], "button.signIn"));

        Assert.That(html, Does.Contain("<label class=\"label-customizable\" for=\"f_username\">Username</label>"));
        Assert.That(html, Does.Contain("id=\"f_username\" name=\"username\" type=\"text\" autocomplete=\"username\" required>"));
        Assert.That(html, Does.Contain("<label class=\"label-customizable\" for=\"f_password\">Password</label>"));
        Assert.That(html, Does.Contain("<input type=\"hidden\" name=\"_csrf\" value=\"the-token\">"));
        Assert.That(html, Does.Contain("<form method=\"post\" action=\"/login?client_id=c\">"));
        Assert.That(html, Does.Contain("<html lang=\"en\">"));
    }

    [Test]
    public void The_branding_css_and_the_page_style_carry_the_nonce_and_the_branding_comes_last()
    {
        var html = Render(p => p, css: ".banner-customizable { color: red; }\n", logo: "/logo?client_id=ALL&v=1");

        Assert.That(html, Does.Contain("<style nonce=\"nonce123\" id=\"branding\">\n.banner-customizable { color: red; }\n</style>"));
        Assert.That(html.IndexOf("id=\"branding\"", StringComparison.Ordinal), Is.GreaterThan(html.IndexOf("<style nonce", StringComparison.Ordinal)));
        Assert.That(html, Does.Contain("<img class=\"logo-customizable\" id=\"logo\" src=\"/logo?client_id=ALL&amp;v=1\" alt=\"Logo\">"));
    }

    [Test]
    public void Provider_buttons_are_links_in_cognitos_classes_with_their_names_and_hrefs_encoded()
    {
        var html = Render(p => p.Providers([
            new ProviderButton("/oauth2/authorize?identity_provider=" + Uri.EscapeDataString(Script) + "&state=" + Script, Script, Social: false),
            new ProviderButton("/oauth2/authorize?identity_provider=Google", "Google", Social: true)]));

        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Contain("<a class=\"btn idpButton-customizable\" href=\"/oauth2/authorize?identity_provider=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;state=&quot;&gt;&lt;script&gt;"));
        Assert.That(html, Does.Contain("\">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>"));
        Assert.That(html, Does.Contain("<a class=\"btn socialButton-customizable\" href=\"/oauth2/authorize?identity_provider=Google\">Continue with Google</a>"));
        Assert.That(html, Does.Contain("<p class=\"idpDescription-customizable\">Sign in with your corporate ID</p>"));
    }

    [Test]
    public void A_page_without_providers_has_no_provider_section()
    {
        var html = Render(p => p.Providers([]));

        Assert.That(html, Does.Not.Contain("idpDescription-customizable"));
    }
}
