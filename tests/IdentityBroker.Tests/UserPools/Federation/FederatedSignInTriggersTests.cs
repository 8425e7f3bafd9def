using System.Net;
using System.Text.Json;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.UserPools.Triggers;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// A pool's triggers on a federated sign-in (developer guide, "Lambda triggers for federated users"), each against a real
/// HTTP receiver: the first sign-in runs PreSignUp_ExternalProvider and PostConfirmation_ConfirmSignUp, a later one
/// PreAuthentication_Authentication and PostAuthentication_Authentication, and the app's code runs pre token generation
/// as TokenGeneration_HostedAuth. A refusal goes back to the app as Cognito sends it (error=invalid_request). The test
/// plays the browser against a loopback OIDC provider.
/// </summary>
[TestFixture]
public sealed class FederatedSignInTriggersTests
{
    private const string Callback = "http://127.0.0.1:9/callback";
    private const string Challenge = "LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg";
    private const string Verifier = "dBjftJeZ4CVP-mJ92IRfcZ0gzJ1p97-ZqNOIyDoHeBw";
    private static readonly string[] Functions = ["presignup", "postconfirm", "preauth", "postauth", "pretoken"];

    private TriggerReceiver _receiver = null!;
    private BrokerServer _server = null!;
    private LoopbackOidcIdp _idp = null!;
    private HttpClient _browser = null!;
    private string _pool = null!;
    private string _clientId = null!;
    private string _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _idp = await LoopbackOidcIdp.StartAsync();
        _receiver = new TriggerReceiver();
        _server = await BrokerServer.StartAsync(_receiver.Settings(Functions));
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        var lambdas = string.Join(',', new[] { ("PreSignUp", "presignup"), ("PostConfirmation", "postconfirm"), ("PreAuthentication", "preauth"),
            ("PostAuthentication", "postauth"), ("PreTokenGeneration", "pretoken") }.Select(m => $"\"{m.Item1}\":\"{TriggerReceiver.Arn(m.Item2)}\""));
        _pool = (await CallAsync("CreateUserPool", $$$"""{"PoolName":"FedTriggers","LambdaConfig":{{{{lambdas}}}}}"""))
            .GetProperty("UserPool").GetProperty("Id").GetString()!;
        var prefix = "fedtrig" + Guid.NewGuid().ToString("N")[..8];
        await CallAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{_pool}}","Domain":"{{prefix}}"}""");
        _host = prefix + ".auth.localhost";
        await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{_pool}}","ProviderName":"Corp","ProviderType":"OIDC",
             "ProviderDetails":{"client_id":"{{LoopbackOidcIdp.ClientId}}","client_secret":"{{LoopbackOidcIdp.ClientSecret}}",
                                "attributes_request_method":"GET","oidc_issuer":"{{_idp.Issuer}}","authorize_scopes":"openid email"},
             "AttributeMapping":{"email":"email"} }
            """);
        _clientId = (await CallAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"web","CallbackURLs":["{{Callback}}"],"AllowedOAuthFlows":["code"],
             "AllowedOAuthScopes":["openid","email"],"AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["Corp","COGNITO"]}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [SetUp]
    public void ResetReceiver() => _receiver.Reset();

    [Test]
    public async Task A_first_federated_sign_in_runs_PreSignUp_ExternalProvider_and_PostConfirmation_and_a_later_one_Pre_and_PostAuthentication()
    {
        _receiver.Answer("presignup", e => e["response"]!["autoVerifyEmail"] = true);
        var first = await SignInAtProviderAsync("sub-fiona");
        Assert.That(Query(first)["code"], Is.Not.Empty);
        var preSignUp = _receiver.CallsTo("presignup").Single().Event;
        var postConfirm = _receiver.CallsTo("postconfirm").Single().Event;
        var user = await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_sub-fiona"}""");
        Assert.Multiple(() =>
        {
            Assert.That((string?)preSignUp["triggerSource"], Is.EqualTo("PreSignUp_ExternalProvider"));
            Assert.That((string?)preSignUp["userName"], Is.EqualTo("Corp_sub-fiona"));
            Assert.That((string?)preSignUp["callerContext"]!["clientId"], Is.EqualTo(_clientId));
            Assert.That((string?)preSignUp["request"]!["userAttributes"]!["email"], Is.EqualTo("sub-fiona@corp.example.com"));
            Assert.That((string?)postConfirm["triggerSource"], Is.EqualTo("PostConfirmation_ConfirmSignUp"));
            Assert.That((string?)postConfirm["request"]!["userAttributes"]!["cognito:user_status"], Is.EqualTo("EXTERNAL_PROVIDER"));
            Assert.That(_receiver.CallsTo("preauth"), Is.Empty, "a first sign-in is a sign-up, not an authentication");
            Assert.That(_receiver.CallsTo("postauth"), Is.Empty);
            Assert.That(Attribute(user, "email_verified"), Is.EqualTo("true"), "autoVerifyEmail applies to the federated user");
            Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("EXTERNAL_PROVIDER"), "autoConfirmUser has nothing to change");
            Assert.That(_receiver.Calls.All(c => c.SignatureValid), Is.True);
        });

        await RedeemAsync(Query(first)["code"]);
        Assert.That((string?)_receiver.CallsTo("pretoken").Single().Event["triggerSource"], Is.EqualTo("TokenGeneration_HostedAuth"));

        _receiver.Calls.Clear();
        var again = await SignInAtProviderAsync("sub-fiona");
        Assert.That(Query(again)["code"], Is.Not.Empty);
        var preAuth = _receiver.CallsTo("preauth").Single().Event;
        var postAuth = _receiver.CallsTo("postauth").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That(_receiver.CallsTo("presignup"), Is.Empty);
            Assert.That(_receiver.CallsTo("postconfirm"), Is.Empty);
            Assert.That((string?)preAuth["triggerSource"], Is.EqualTo("PreAuthentication_Authentication"));
            Assert.That((bool?)preAuth["request"]!["userNotFound"], Is.False);
            Assert.That((string?)postAuth["triggerSource"], Is.EqualTo("PostAuthentication_Authentication"));
            Assert.That((string?)postAuth["userName"], Is.EqualTo("Corp_sub-fiona"));
        });
    }

    [Test]
    public async Task A_PreSignUp_refusal_goes_back_to_the_app_as_invalid_request_with_Cognitos_wording_and_makes_no_user()
    {
        _receiver.Fail("presignup", "Only invited users");
        var back = await SignInAtProviderAsync("sub-gus");
        var query = Query(back);
        Assert.Multiple(() =>
        {
            Assert.That(back.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
            Assert.That(query["error"], Is.EqualTo("invalid_request"));
            Assert.That(query["error_description"], Is.EqualTo("PreSignUp failed with error Only invited users. "));
            Assert.That(query["state"], Is.EqualTo("client-state"));
            Assert.That(query.ContainsKey("code"), Is.False);
            Assert.That(_receiver.CallsTo("postconfirm"), Is.Empty);
        });
        using var get = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_sub-gus"}""");
        await AwsErrorAssert.IsJsonErrorAsync(get, "UserNotFoundException");
    }

    [Test]
    public async Task A_PreAuthentication_refusal_on_a_later_sign_in_goes_back_as_invalid_request_and_issues_no_code()
    {
        await SignInAtProviderAsync("sub-hana");
        _receiver.Reset();
        _receiver.Fail("preauth", "Account under review");

        var query = Query(await SignInAtProviderAsync("sub-hana"));
        Assert.Multiple(() =>
        {
            Assert.That(query["error"], Is.EqualTo("invalid_request"));
            Assert.That(query["error_description"], Is.EqualTo("PreAuthentication failed with error Account under review. "));
            Assert.That(query.ContainsKey("code"), Is.False);
            Assert.That(_receiver.CallsTo("postauth"), Is.Empty);
        });
    }

    /// <summary>Authorize → the provider (approves <paramref name="subject"/>) → /oauth2/idpresponse; the broker's redirect.</summary>
    private async Task<Uri> SignInAtProviderAsync(string subject)
    {
        var authorize = $"/oauth2/authorize?response_type=code&client_id={_clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid%20email"
            + $"&state=client-state&code_challenge={Challenge}&code_challenge_method=S256&identity_provider=Corp";
        using var started = await GetAsync(authorize);
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await started.Content.ReadAsStringAsync());
        var cookie = started.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cognito-federation=", StringComparison.Ordinal)).Split(';')[0];
        var providerUrl = started.Headers.Location!;
        var code = _idp.Approve(providerUrl, subject);
        using var back = await GetAsync($"/oauth2/idpresponse?code={code}&state={Uri.EscapeDataString(Query(providerUrl)["state"])}", cookie);
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await back.Content.ReadAsStringAsync());
        return back.Headers.Location!;
    }

    private async Task RedeemAsync(string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = _clientId, ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = Verifier,
            }),
        };
        request.Headers.Host = _host;
        using var response = await _browser.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
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

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private static string? Attribute(JsonElement user, string name) =>
        user.GetProperty("UserAttributes").EnumerateArray().Where(a => a.GetProperty("Name").GetString() == name)
            .Select(a => a.GetProperty("Value").GetString()).FirstOrDefault();

    private static Dictionary<string, string> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
}
