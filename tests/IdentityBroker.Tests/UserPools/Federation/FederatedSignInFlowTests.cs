using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityBroker.Tests.Integration;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// The federated sign-in through a pool's domain, end to end against a loopback OIDC provider: /oauth2/authorize with
/// identity_provider or idp_identifier, the provider's code flow with state, nonce and PKCE, /oauth2/idpresponse, the
/// federated user, and the code back to the client. The test plays the browser (no redirects followed, cookies by hand).
/// </summary>
[TestFixture]
public sealed class FederatedSignInFlowTests
{
    private const string Callback = "http://127.0.0.1:9/callback";
    private const string Challenge = "LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg";

    /// <summary>The PKCE verifier whose S256 challenge is <see cref="Challenge"/> (RFC 7636 §4.2).</summary>
    private const string Verifier = "dBjftJeZ4CVP-mJ92IRfcZ0gzJ1p97-ZqNOIyDoHeBw";

    private BrokerServer _server = null!;
    private LoopbackOidcIdp _idp = null!;
    private LoopbackOidcIdp _apple = null!;
    private ECDsa _appleKey = null!;
    private HttpClient _browser = null!;
    private string _pool = null!;
    private string _clientId = null!;
    private string _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _idp = await LoopbackOidcIdp.StartAsync();
        // Sign in with Apple played by a second loopback provider, which takes only a client-secret JWT signed with the key.
        _appleKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _apple = await LoopbackOidcIdp.StartAsync();
        _apple.AppleClientKey = _appleKey;
        _server = await BrokerServer.StartAsync(new Dictionary<string, string?>
        {
            ["Broker:Providers:Apple:AuthorizeUrl"] = _apple.Issuer + "/authorize",
            ["Broker:Providers:Apple:TokenUrl"] = _apple.Issuer + "/token",
            ["Broker:Providers:Apple:Issuer"] = _apple.Issuer,
            ["Broker:Providers:Apple:JwksUrl"] = _apple.Issuer + "/keys",
        });
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        _pool = (await CallAsync("CreateUserPool", """{"PoolName":"Flow"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var prefix = "fed" + Guid.NewGuid().ToString("N")[..8];
        await CallAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{_pool}}","Domain":"{{prefix}}"}""");
        _host = prefix + ".auth.localhost";
        await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{_pool}}","ProviderName":"Corp","ProviderType":"OIDC","IdpIdentifiers":["corp.example.com"],
             "ProviderDetails":{"client_id":"{{LoopbackOidcIdp.ClientId}}","client_secret":"{{LoopbackOidcIdp.ClientSecret}}",
                                "attributes_request_method":"GET","oidc_issuer":"{{_idp.Issuer}}","authorize_scopes":"openid email"},
             "AttributeMapping":{"email":"email","family_name":"family_name"} }
            """);
        await CallAsync("CreateIdentityProvider", JsonSerializer.Serialize(new
        {
            UserPoolId = _pool, ProviderName = "SignInWithApple", ProviderType = "SignInWithApple",
            ProviderDetails = new Dictionary<string, string>
            {
                ["client_id"] = LoopbackOidcIdp.ClientId, ["team_id"] = LoopbackOidcIdp.AppleTeamId, ["key_id"] = LoopbackOidcIdp.AppleKeyId,
                ["private_key"] = _appleKey.ExportPkcs8PrivateKeyPem(), ["authorize_scopes"] = "email",
            },
            AttributeMapping = new Dictionary<string, string> { ["email"] = "email", ["given_name"] = "firstName", ["family_name"] = "lastName" },
        }));
        await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{_pool}}","ProviderName":"Other","ProviderType":"OIDC",
             "ProviderDetails":{"client_id":"x","attributes_request_method":"GET","oidc_issuer":"{{_idp.Issuer}}","authorize_scopes":"openid"} }
            """);
        _clientId = (await CallAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"web","CallbackURLs":["{{Callback}}"],"AllowedOAuthFlows":["code"],
             "AllowedOAuthScopes":["openid","email"],"AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["Corp","SignInWithApple","COGNITO"]}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
        await _idp.DisposeAsync();
        await _apple.DisposeAsync();
        _appleKey.Dispose();
    }

    [SetUp]
    public void HonestProvider()
    {
        _idp.NonceOverride = null;
        _idp.UserInfoSubjectOverride = null;
    }

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = _host;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _browser.SendAsync(request);
    }

    private string Authorize(string provider) =>
        $"/oauth2/authorize?response_type=code&client_id={_clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid%20email"
        + $"&state=client-state&code_challenge={Challenge}&code_challenge_method=S256&{provider}";

    /// <summary>The browser's first leg: to the provider, with the broker's sealed state cookie.</summary>
    private async Task<(Uri ProviderUrl, string Cookie)> GoToProviderAsync(string provider = "identity_provider=Corp")
    {
        using var response = await GetAsync(Authorize(provider));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cognito-federation=", StringComparison.Ordinal));
        return (response.Headers.Location!, cookie.Split(';')[0]);
    }

    private static Dictionary<string, string> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    [Test]
    public async Task A_sign_in_at_the_provider_comes_back_as_the_federated_user_with_a_code_for_the_client()
    {
        var (providerUrl, cookie) = await GoToProviderAsync();
        var sent = Query(providerUrl);
        var code = _idp.Approve(providerUrl, "sub-ann");

        using var back = await GetAsync($"/oauth2/idpresponse?code={code}&state={Uri.EscapeDataString(sent["state"])}", cookie);
        var user = await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_sub-ann"}""");
        var idToken = await RedeemAsync(Query(back.Headers.Location!)["code"]);
        var identities = idToken.GetProperty("identities")[0];

        Assert.Multiple(() =>
        {
            Assert.That(providerUrl.GetLeftPart(UriPartial.Path), Is.EqualTo(_idp.Issuer + "/authorize"));
            Assert.That(sent["client_id"], Is.EqualTo(LoopbackOidcIdp.ClientId));
            Assert.That(sent["redirect_uri"], Is.EqualTo($"http://{_host}/oauth2/idpresponse"));
            Assert.That(sent["code_challenge_method"], Is.EqualTo("S256"));
            Assert.That(sent["nonce"], Has.Length.GreaterThanOrEqualTo(43));
            Assert.That(sent["state"], Is.Not.EqualTo("client-state"), "the client's state never goes to the provider");
            Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            var toClient = back.Headers.Location!;
            Assert.That(toClient.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
            Assert.That(Query(toClient)["state"], Is.EqualTo("client-state"));
            Assert.That(Query(toClient)["code"], Is.Not.Empty);
            Assert.That(back.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("cognito=", StringComparison.Ordinal)), Is.True,
                "the hosted session starts as after a hosted sign-in");
            Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("EXTERNAL_PROVIDER"));
            Assert.That(idToken.GetProperty("cognito:username").GetString(), Is.EqualTo("Corp_sub-ann"));
            Assert.That(idToken.GetProperty("email").GetString(), Is.EqualTo("sub-ann@corp.example.com"), "mapped through AttributeMapping");
            Assert.That(idToken.GetProperty("family_name").GetString(), Is.EqualTo("Userinfo-sub-ann"), "read from the provider's userinfo");
            Assert.That(identities.GetProperty("providerName").GetString(), Is.EqualTo("Corp"));
            Assert.That(identities.GetProperty("providerType").GetString(), Is.EqualTo("OIDC"));
            Assert.That(identities.GetProperty("userId").GetString(), Is.EqualTo("sub-ann"));
            Assert.That(identities.GetProperty("issuer").GetString(), Is.EqualTo(_idp.Issuer));
        });
    }

    /// <summary>The client's code exchange at the pool's /oauth2/token; the ID token's claims.</summary>
    private async Task<JsonElement> RedeemAsync(string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = _clientId, ["code"] = code, ["redirect_uri"] = Callback,
                ["code_verifier"] = Verifier,
            }),
        };
        request.Headers.Host = _host;
        using var response = await _browser.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var idToken = JsonDocument.Parse(body).RootElement.GetProperty("id_token").GetString()!;
        var payload = idToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='))).RootElement;
    }

    [Test]
    public async Task The_login_page_shows_a_button_for_each_provider_the_client_supports_leading_to_authorize_with_its_query()
    {
        var query = Authorize("identity_provider=COGNITO")["/oauth2/authorize".Length..];
        using var page = await GetAsync("/login" + query);
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        var expected = $"/oauth2/authorize?client_id={_clientId}&amp;response_type=code&amp;redirect_uri={Uri.EscapeDataString(Callback)}"
            + $"&amp;scope=openid%20email&amp;state=client-state&amp;code_challenge={Challenge}&amp;code_challenge_method=S256&amp;identity_provider=Corp";
        Assert.That(html, Does.Contain($"<a class=\"btn idpButton-customizable\" href=\"{expected}\">Corp</a>"));
        Assert.That(html, Does.Not.Contain("identity_provider=Other"), "Other is a provider of the pool, not one the client supports");

        // The button's target starts the federated sign-in as a direct authorize request does.
        using var followed = await GetAsync(System.Net.WebUtility.HtmlDecode(expected));
        Assert.That(followed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(followed.Headers.Location!.AbsoluteUri, Does.StartWith(_idp.Issuer));
    }

    [Test]
    public async Task An_idp_identifier_names_the_provider_as_its_name_does()
    {
        var (providerUrl, _) = await GoToProviderAsync("idp_identifier=corp.example.com");

        Assert.That(providerUrl.GetLeftPart(UriPartial.Path), Is.EqualTo(_idp.Issuer + "/authorize"));
    }

    [Test]
    public async Task A_returned_state_other_than_this_browsers_is_refused_on_a_page_and_makes_no_user()
    {
        var (providerUrl, cookie) = await GoToProviderAsync();
        var code = _idp.Approve(providerUrl, "sub-mallory");

        using var forged = await GetAsync($"/oauth2/idpresponse?code={code}&state=forged", cookie);
        using var noCookie = await GetAsync($"/oauth2/idpresponse?code={code}&state={Uri.EscapeDataString(Query(providerUrl)["state"])}");

        Assert.Multiple(async () =>
        {
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noCookie.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a state without the browser's cookie is no state");
            using var missing = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_sub-mallory"}""");
            await AwsErrorAssert.IsJsonErrorAsync(missing, "UserNotFoundException");
        });
    }

    [Test]
    public async Task An_ID_token_without_this_sign_ins_nonce_sends_the_client_an_error_and_makes_no_user()
    {
        var (providerUrl, cookie) = await GoToProviderAsync();
        var code = _idp.Approve(providerUrl, "sub-replayed");
        _idp.NonceOverride = "another-sign-ins-nonce";

        using var back = await GetAsync($"/oauth2/idpresponse?code={code}&state={Uri.EscapeDataString(Query(providerUrl)["state"])}", cookie);

        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(Query(back.Headers.Location!)["error"], Is.EqualTo("invalid_request"));
        Assert.That(Query(back.Headers.Location!).ContainsKey("code"), Is.False);
        using var missing = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_sub-replayed"}""");
        await AwsErrorAssert.IsJsonErrorAsync(missing, "UserNotFoundException");
    }

    [Test]
    public async Task A_provider_the_client_does_not_support_is_an_error_at_the_client_and_never_a_trip_to_the_provider()
    {
        using var other = await GetAsync(Authorize("identity_provider=Other"));
        using var unknown = await GetAsync(Authorize("idp_identifier=nobody.example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(other.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
            Assert.That(Query(other.Headers.Location!)["error"], Is.EqualTo("invalid_request"));
            Assert.That(unknown.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
            Assert.That(other.Headers.Contains("Set-Cookie"), Is.False);
        });
    }

    [Test]
    public async Task A_userinfo_answer_for_another_subject_sends_the_client_an_error_and_makes_no_user()
    {
        var (providerUrl, cookie) = await GoToProviderAsync();
        var code = _idp.Approve(providerUrl, "sub-swapped");
        _idp.UserInfoSubjectOverride = "sub-someone-else";

        using var back = await GetAsync($"/oauth2/idpresponse?code={code}&state={Uri.EscapeDataString(Query(providerUrl)["state"])}", cookie);

        Assert.That(Query(back.Headers.Location!)["error"], Is.EqualTo("invalid_request"));
        using var missing = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_sub-swapped"}""");
        await AwsErrorAssert.IsJsonErrorAsync(missing, "UserNotFoundException");
    }

    [Test]
    public async Task Sign_in_with_Apple_redeems_the_code_with_an_ES256_client_secret_made_from_the_providers_key()
    {
        var (providerUrl, cookie) = await GoToProviderAsync("identity_provider=SignInWithApple");
        var code = _apple.Approve(providerUrl, "001234.apple-user");

        using var back = await GetAsync($"/oauth2/idpresponse?code={code}&state={Uri.EscapeDataString(Query(providerUrl)["state"])}", cookie);
        var idToken = await RedeemAsync(Query(back.Headers.Location!)["code"]);
        var secret = _apple.LastAppleSecretClaims!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(providerUrl.GetLeftPart(UriPartial.Path), Is.EqualTo(_apple.Issuer + "/authorize"));
            Assert.That(idToken.GetProperty("cognito:username").GetString(), Is.EqualTo("SignInWithApple_001234.apple-user"));
            Assert.That(idToken.GetProperty("email").GetString(), Is.EqualTo("001234.apple-user@corp.example.com"));
            Assert.That(secret.GetProperty("exp").GetInt64() - secret.GetProperty("iat").GetInt64(), Is.InRange(1, 15_777_000),
                "Apple takes at most six months");
        });
    }

    /// <summary>The browser's post to /oauth2/idpresponse as Apple's form_post page makes it.</summary>
    private async Task<HttpResponseMessage> PostReturnAsync(Dictionary<string, string> form, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/idpresponse") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Host = _host;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _browser.SendAsync(request);
    }

    [Test]
    public async Task Sign_in_with_Apple_is_asked_for_form_post_with_a_state_cookie_a_cross_site_post_carries()
    {
        using var response = await GetAsync(Authorize("identity_provider=SignInWithApple"));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cognito-federation=", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(Query(response.Headers.Location!)["response_mode"], Is.EqualTo("form_post"));
            Assert.That(cookie, Does.Contain("samesite=none").IgnoreCase);
            Assert.That(cookie, Does.Contain("secure").IgnoreCase);
            Assert.That(cookie, Does.Contain("httponly").IgnoreCase);
        });
    }

    [Test]
    public async Task Apples_form_post_signs_the_user_in_with_the_name_of_its_user_member_and_the_email_of_its_ID_token()
    {
        var (providerUrl, cookie) = await GoToProviderAsync("identity_provider=SignInWithApple");
        var code = _apple.Approve(providerUrl, "001234.apple-post");
        var user = """{"name":{"firstName":"Jane","lastName":"Appleseed"},"email":"forged@attacker.example"}""";

        using var back = await PostReturnAsync(new() { ["code"] = code, ["state"] = Query(providerUrl)["state"], ["user"] = user }, cookie);
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await back.Content.ReadAsStringAsync());
        var idToken = await RedeemAsync(Query(back.Headers.Location!)["code"]);

        Assert.Multiple(() =>
        {
            Assert.That(back.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
            Assert.That(Query(back.Headers.Location!)["state"], Is.EqualTo("client-state"));
            Assert.That(idToken.GetProperty("cognito:username").GetString(), Is.EqualTo("SignInWithApple_001234.apple-post"));
            Assert.That(idToken.GetProperty("given_name").GetString(), Is.EqualTo("Jane"));
            Assert.That(idToken.GetProperty("family_name").GetString(), Is.EqualTo("Appleseed"));
            Assert.That(idToken.GetProperty("email").GetString(), Is.EqualTo("001234.apple-post@corp.example.com"),
                "the posted user member is unsigned: the email is the ID token's");
        });
    }

    [Test]
    public async Task Apples_form_post_with_another_state_or_without_the_cookie_is_refused_on_a_page_and_makes_no_user()
    {
        var (providerUrl, cookie) = await GoToProviderAsync("identity_provider=SignInWithApple");
        var code = _apple.Approve(providerUrl, "001234.apple-forged");
        var state = Query(providerUrl)["state"];

        using var otherState = await PostReturnAsync(new() { ["code"] = code, ["state"] = state + "x" }, cookie);
        using var noCookie = await PostReturnAsync(new() { ["code"] = code, ["state"] = state }, null);
        using var json = new HttpRequestMessage(HttpMethod.Post, "/oauth2/idpresponse")
        {
            Content = new StringContent($$"""{"code":"{{code}}","state":"{{state}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        json.Headers.Host = _host;
        json.Headers.Add("Cookie", cookie);
        using var notAForm = await _browser.SendAsync(json);
        using var missing = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"SignInWithApple_001234.apple-forged"}""");

        Assert.Multiple(() =>
        {
            foreach (var refused in new[] { otherState, noCookie, notAForm })
            {
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
                Assert.That(refused.Headers.Location, Is.Null, "never a redirect");
            }
        });
        await AwsErrorAssert.IsJsonErrorAsync(missing, "UserNotFoundException");
    }

    [Test]
    public async Task A_user_member_that_is_not_apples_json_is_ignored_and_the_sign_in_goes_on()
    {
        var (providerUrl, cookie) = await GoToProviderAsync("identity_provider=SignInWithApple");
        var code = _apple.Approve(providerUrl, "001234.apple-odd");

        using var back = await PostReturnAsync(new() { ["code"] = code, ["state"] = Query(providerUrl)["state"], ["user"] = "{\"name\":[<script>" }, cookie);
        var idToken = await RedeemAsync(Query(back.Headers.Location!)["code"]);

        Assert.Multiple(() =>
        {
            Assert.That(idToken.GetProperty("cognito:username").GetString(), Is.EqualTo("SignInWithApple_001234.apple-odd"));
            Assert.That(idToken.TryGetProperty("given_name", out _), Is.False);
        });
    }
}
