using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityBroker.Server.Messages;
using IdentityBroker.UserPools.Domains;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The hosted pages over HTTP on a pool's domain (Host header): the security headers and cookies, the CSRF check, the
/// authorize query validated before anything is shown, hostile input rendered inert, branding, and the code flow's end:
/// a redirect to the registered callback with a code.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class HostedUiPagesTests
{
    private const string Password = "Correct-horse-1";
    private const string Callback = "https://app.example.com/callback";

    private BrokerServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private sealed record Site(string PoolId, string ClientId, string Host)
    {
        public string Query => $"client_id={ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid&state=st-1";
    }

    private async Task<JsonElement> SignedAsync(string operation, object body)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, JsonSerializer.Serialize(body));
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<Site> SiteAsync()
    {
        var poolId = (await SignedAsync("CreateUserPool", new { PoolName = "hosted", AutoVerifiedAttributes = new[] { "email" } }))
            .GetProperty("UserPool").GetProperty("Id").GetString()!;
        var clientId = (await SignedAsync("CreateUserPoolClient", new
        {
            UserPoolId = poolId, ClientName = "web", GenerateSecret = true, CallbackURLs = new[] { Callback }, AllowedOAuthFlows = new[] { "code" },
            AllowedOAuthScopes = new[] { "openid", "email" }, AllowedOAuthFlowsUserPoolClient = true, SupportedIdentityProviders = new[] { "COGNITO" },
        })).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        var prefix = "hosted-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _server.Services.GetRequiredService<IUserPoolDomainStore>()
            .TryCreateDomainAsync(new UserPoolDomain(prefix, poolId, 1, DateTimeOffset.UtcNow), default);
        Assert.That(created, Is.EqualTo(DomainCreation.Created));
        return new Site(poolId, clientId, prefix + "." + UserPoolDomainOptions.DefaultSuffix);
    }

    private async Task<string> UserAsync(Site site)
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        await SignedAsync("AdminCreateUser", new { UserPoolId = site.PoolId, Username = user, MessageAction = "SUPPRESS" });
        await SignedAsync("AdminSetUserPassword", new { UserPoolId = site.PoolId, Username = user, Password, Permanent = true });
        return user;
    }

    private Task<HttpResponseMessage> GetAsync(Site site, string pathAndQuery, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = site.Host;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(Site site, string pathAndQuery, string? cookie, params (string Name, string Value)[] form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery)
        {
            Content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))),
        };
        request.Headers.Host = site.Host;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return _http.SendAsync(request);
    }

    /// <summary>The login page's XSRF cookie (as a Cookie header) and its form's token.</summary>
    private async Task<(string Cookie, string Token, string Html)> LoginFormAsync(Site site)
    {
        using var page = await GetAsync(site, "/login?" + site.Query);
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        var setCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal));
        return (setCookie.Split(';')[0], CsrfToken().Match(html).Groups[1].Value, html);
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();

    [Test]
    public async Task The_login_page_carries_its_security_headers_an_HttpOnly_SameSite_csrf_cookie_and_labelled_fields()
    {
        var site = await SiteAsync();
        using var page = await GetAsync(site, "/login?" + site.Query);
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'").And.Contain("default-src 'none'"));
        Assert.That(page.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.That(cookie, Does.Contain("httponly").And.Contain("samesite=lax"));
        Assert.That(html, Does.Contain("<label class=\"label-customizable\" for=\"f_username\">"));
        Assert.That(html, Does.Contain("action=\"/login?client_id=" + site.ClientId));
    }

    [Test]
    public async Task An_unregistered_redirect_uri_is_shown_as_an_error_page_and_never_redirected_to()
    {
        var site = await SiteAsync();
        var query = site.Query.Replace(Uri.EscapeDataString(Callback), Uri.EscapeDataString("https://evil.example/steal"), StringComparison.Ordinal);

        using var page = await GetAsync(site, "/login?" + query);
        using var post = await PostAsync(site, "/login?" + query, null, ("username", "x"), ("password", "y"));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.Headers.Location, Is.Null);
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Not.Contain("evil.example").And.Not.Contain("<form"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(post.Headers.Location, Is.Null);
    }

    [Test]
    public async Task A_post_without_the_csrf_token_or_with_a_forged_one_or_another_browsers_is_refused()
    {
        var site = await SiteAsync();
        var user = await UserAsync(site);
        var (cookie, token, _) = await LoginFormAsync(site);
        var (otherCookie, _, _) = await LoginFormAsync(site);

        using var missing = await PostAsync(site, "/login?" + site.Query, cookie, ("username", user), ("password", Password));
        using var forged = await PostAsync(site, "/login?" + site.Query, cookie, ("_csrf", "forged-token"), ("username", user), ("password", Password));
        using var noCookie = await PostAsync(site, "/login?" + site.Query, null, ("_csrf", token), ("username", user), ("password", Password));
        using var swapped = await PostAsync(site, "/login?" + site.Query, otherCookie, ("_csrf", token), ("username", user), ("password", Password));

        foreach (var refused in new[] { missing, forged, noCookie, swapped })
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refused.Headers.Location, Is.Null);
        }
    }

    [Test]
    public async Task A_right_password_ends_in_a_redirect_to_the_callback_with_a_code_and_the_state_and_a_session_cookie()
    {
        var site = await SiteAsync();
        var user = await UserAsync(site);
        var (cookie, token, _) = await LoginFormAsync(site);

        using var signedIn = await PostAsync(site, "/login?" + site.Query, cookie, ("_csrf", token), ("username", user), ("password", Password));

        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signedIn.Content.ReadAsStringAsync());
        var location = signedIn.Headers.Location!.AbsoluteUri;
        Assert.That(location, Does.StartWith(Callback + "?code="));
        Assert.That(location, Does.EndWith("&state=st-1"));
        Assert.That(signedIn.Headers.GetValues("Set-Cookie"), Has.Some.StartsWith("cognito="));
    }

    [Test]
    public async Task A_wrong_password_and_a_username_carrying_script_are_shown_on_the_page_inert_in_Cognitos_words()
    {
        var site = await SiteAsync();
        var (cookie, token, _) = await LoginFormAsync(site);
        const string script = "\"><script>alert(1)</script>";

        using var refused = await PostAsync(site, "/login?" + site.Query, cookie, ("_csrf", token), ("username", script), ("password", "Wrong-horse-1"));
        var html = await refused.Content.ReadAsStringAsync();

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("User does not exist."), "the client does not hide user existence (LEGACY)");
        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(html, Does.Contain("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));

        var user = await UserAsync(site);
        using var wrong = await PostAsync(site, "/login?" + site.Query, cookie, ("_csrf", token), ("username", user), ("password", "Wrong-horse-1"));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain(">Incorrect username or password.</p>"));
    }

    [Test]
    public async Task Sign_up_sends_a_code_that_confirms_the_account_then_the_sign_in_completes()
    {
        var site = await SiteAsync();
        var (cookie, token, _) = await LoginFormAsync(site);
        var user = "new-" + Guid.NewGuid().ToString("N")[..8];

        using var signedUp = await PostAsync(site, "/signup?" + site.Query, cookie, ("_csrf", token), ("username", user), ("password", Password),
            ("email", user + "@example.com"));
        Assert.That(signedUp.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signedUp.Content.ReadAsStringAsync());
        Assert.That(signedUp.Headers.Location!.OriginalString, Does.StartWith("/confirm?client_id=").And.EndWith("&username=" + user));

        var code = Regex.Match(_server.Services.GetRequiredService<DevOutbox>().Read(site.PoolId, user)[0].Body, "[0-9]{6}").Value;
        using var wrong = await PostAsync(site, "/confirm?" + site.Query, cookie, ("_csrf", token), ("username", user), ("code", "000000"));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("Invalid verification code provided, please try again."));
        using var confirmed = await PostAsync(site, "/confirm?" + site.Query, cookie, ("_csrf", token), ("username", user), ("code", code));
        Assert.That(confirmed.Headers.Location!.OriginalString, Does.StartWith("/login?").And.EndWith("&info=confirmed"));

        using var signedIn = await PostAsync(site, "/login?" + site.Query, cookie, ("_csrf", token), ("username", user), ("password", Password));
        Assert.That(signedIn.Headers.Location!.AbsoluteUri, Does.StartWith(Callback + "?code="));
    }

    /// <summary>A hosted sign-up: the sign-up ticket cookie it hands this browser (as a Cookie pair) and the code mailed.</summary>
    private async Task<(string Ticket, string Code)> SignUpAsync(Site site, string cookie, string token, string user)
    {
        using var signedUp = await PostAsync(site, "/signup?" + site.Query, cookie, ("_csrf", token), ("username", user), ("password", Password),
            ("email", user + "@example.com"));
        Assert.That(signedUp.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signedUp.Content.ReadAsStringAsync());
        var ticket = signedUp.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cognito-signup=", StringComparison.Ordinal));
        Assert.That(ticket, Does.Contain("path=/confirm").IgnoreCase.And.Contain("httponly").IgnoreCase.And.Contain("samesite=lax").IgnoreCase);
        var code = Regex.Match(_server.Services.GetRequiredService<DevOutbox>().Read(site.PoolId, user)[0].Body, "[0-9]{6}").Value;
        return (ticket.Split(';')[0], code);
    }

    [Test]
    public async Task Confirming_in_the_browser_that_signed_up_signs_the_user_in_and_redirects_to_the_client_with_a_code()
    {
        var site = await SiteAsync();
        var (cookie, token, _) = await LoginFormAsync(site);
        var user = "auto-" + Guid.NewGuid().ToString("N")[..8];
        var (ticket, code) = await SignUpAsync(site, cookie, token, user);

        using var confirmed = await PostAsync(site, "/confirm?" + site.Query, cookie + "; " + ticket, ("_csrf", token), ("username", user), ("code", code));
        var cookies = confirmed.Headers.GetValues("Set-Cookie").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(confirmed.Headers.Location!.AbsoluteUri, Does.StartWith(Callback + "?code=").And.EndWith("&state=st-1"));
            Assert.That(cookies.Any(c => c.StartsWith("cognito=", StringComparison.Ordinal)), Is.True, "the hosted session starts");
            Assert.That(cookies.Any(c => c.StartsWith("cognito-signup=;", StringComparison.Ordinal)), Is.True, "the ticket is spent");
        });
    }

    [Test]
    public async Task Another_users_sign_up_ticket_confirms_the_account_but_signs_nobody_in()
    {
        var site = await SiteAsync();
        var (cookie, token, _) = await LoginFormAsync(site);
        var (attackerTicket, _) = await SignUpAsync(site, cookie, token, "mallory-" + Guid.NewGuid().ToString("N")[..8]);
        var victim = "victim-" + Guid.NewGuid().ToString("N")[..8];
        var (_, victimCode) = await SignUpAsync(site, cookie, token, victim);

        using var confirmed = await PostAsync(site, "/confirm?" + site.Query, cookie + "; " + attackerTicket, ("_csrf", token), ("username", victim),
            ("code", victimCode));

        Assert.Multiple(() =>
        {
            Assert.That(confirmed.Headers.Location!.OriginalString, Does.StartWith("/login?").And.EndWith("&info=confirmed"));
            Assert.That(confirmed.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("cognito=", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task Branding_css_and_logo_are_on_the_page_and_the_logo_is_served_from_the_domain()
    {
        var site = await SiteAsync();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7];
        await SignedAsync("SetUICustomization", new { UserPoolId = site.PoolId, ClientId = "ALL", CSS = ".banner-customizable { background-color: #ff6600; }", ImageFile = png });

        var (_, _, html) = await LoginFormAsync(site);
        Assert.That(html, Does.Contain(".banner-customizable { background-color: #ff6600; }"));
        var logoUrl = Regex.Match(html, "id=\"logo\" src=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        using var logo = await GetAsync(site, logoUrl);

        Assert.That(logo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(logo.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        Assert.That(await logo.Content.ReadAsByteArrayAsync(), Is.EqualTo(png));
    }

    [Test]
    public async Task The_pages_answer_only_on_a_pool_domain()
    {
        var site = await SiteAsync();
        using var elsewhere = await _http.GetAsync(new Uri("/login?" + site.Query, UriKind.Relative));
        using var unknown = await GetAsync(site with { Host = "nobody." + UserPoolDomainOptions.DefaultSuffix }, "/login?" + site.Query);

        Assert.That(elsewhere.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
