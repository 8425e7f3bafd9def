using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using IdentityBroker.Tests.Federation.Saml;
using IdentityBroker.Tests.Integration;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// IdP-initiated single logout through a real broker on its pool domain, the test as browser and IdP: LogoutRequests
/// signed by openssl (HTTP-Redirect query signature) and by xmlsec1 (HTTP-POST enveloped signature) end the hosted
/// session the NameID's sign-in started, and the LogoutResponse the broker answers is verified by openssl and xmlsec1 with
/// the pool's signing certificate (GetSigningCertificate). Forged, unsigned, expired, replayed or misdirected requests
/// are refused and the session stays.
/// </summary>
[TestFixture]
public sealed class SamlIdpLogoutTests
{
    private const string Callback = "http://127.0.0.1:9/callback";
    private const string Challenge = "LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg";
    private const string Slo = "https://idp.example.com/slo";
    private const string SloPost = "https://idp.example.com/slo-post";
    private const string OtherEntity = "https://other-idp.example.com";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private BrokerServer _server = null!;
    private XmlSec1Signer _signer = null!;
    private XmlSec1Signer _attacker = null!;
    private SamlIdpTools _tools = null!;
    private HttpClient _browser = null!;
    private string _pool = null!;
    private string _clientId = null!;
    private string _host = null!;
    private string _poolCertificate = null!;

    private string Acs => "http://" + _host + "/saml2/idpresponse";

    private string LogoutEndpoint => "http://" + _host + "/saml2/logout";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(XmlSec1Signer.IsAvailable, Is.True, "xmlsec1 is not installed (apt-get install -y xmlsec1; test.sh installs it).");
        _signer = new XmlSec1Signer();
        _attacker = new XmlSec1Signer("CN=attacker.example.com");
        _tools = new SamlIdpTools();
        _server = await BrokerServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(_time));
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        _pool = (await CallAsync("CreateUserPool", """{"PoolName":"SamlIdpLogout"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var prefix = "samlslo" + Guid.NewGuid().ToString("N")[..8];
        await CallAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{_pool}}","Domain":"{{prefix}}"}""");
        _host = prefix + ".auth.localhost";
        await CreateProviderAsync("Corp", SamlResponseSpec.Metadata(_signer.CertificateBase64, singleLogout: Slo, singleLogoutPost: SloPost), "true");
        await CreateProviderAsync("PostOnly", SamlResponseSpec.Metadata(_signer.CertificateBase64, entityId: "https://post-idp.example.com", singleLogoutPost: SloPost), "true");
        await CreateProviderAsync("Quiet", SamlResponseSpec.Metadata(_signer.CertificateBase64, entityId: OtherEntity, singleLogout: Slo), "false");
        _clientId = (await CallAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"web","CallbackURLs":["{{Callback}}"],"AllowedOAuthFlows":["code"],
             "AllowedOAuthScopes":["openid"],"AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["Corp","PostOnly","Quiet"]}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        _poolCertificate = (await CallAsync("GetSigningCertificate", $$"""{"UserPoolId":"{{_pool}}"}""")).GetProperty("Certificate").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
        _signer.Dispose();
        _attacker.Dispose();
        _tools.Dispose();
    }

    private async Task CreateProviderAsync(string name, string metadata, string signOut) =>
        await CallAsync("CreateIdentityProvider", JsonSerializer.Serialize(new
        {
            UserPoolId = _pool, ProviderName = name, ProviderType = "SAML",
            ProviderDetails = new Dictionary<string, string> { ["MetadataFile"] = metadata, ["IDPSignout"] = signOut },
        }));

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        request.Headers.Host = _host;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _browser.SendAsync(request);
    }

    private string AuthorizeQuery => $"response_type=code&client_id={_clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid"
        + $"&state=client-state&code_challenge={Challenge}&code_challenge_method=S256";

    private static XmlElement Inflate(string base64)
    {
        using var inflated = new DeflateStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
        var document = new XmlDocument();
        document.Load(inflated);
        return document.DocumentElement!;
    }

    private static Dictionary<string, string> Query(Uri uri) => QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>Signs <paramref name="nameId"/> in at <paramref name="provider"/> with an IdP session; the hosted session cookie.</summary>
    private async Task<string> SignInAsync(string provider, string nameId, string sessionIndex, string issuer = SamlResponseSpec.EntityId)
    {
        using var start = await SendAsync(HttpMethod.Get, "/oauth2/authorize?" + AuthorizeQuery + "&identity_provider=" + provider);
        var query = Query(start.Headers.Location!);
        var spec = new SamlResponseSpec
        {
            NameId = nameId, Audience = "urn:amazon:cognito:sp:" + _pool, Recipient = Acs, Issuer = issuer, SessionIndex = sessionIndex,
            NotBefore = _time.GetUtcNow().AddMinutes(-1), NotOnOrAfter = _time.GetUtcNow().AddMinutes(5),
            InResponseTo = Inflate(query["SAMLRequest"]).GetAttribute("ID"),
        };
        using var response = await SendAsync(HttpMethod.Post, "/saml2/idpresponse", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = SamlResponseSpec.Base64(_signer.Sign(spec.Template())), ["RelayState"] = query["RelayState"],
        }));
        Assert.That(Query(response.Headers.Location!), Does.ContainKey("code"), response.Headers.Location!.Query);
        _time.Advance(TimeSpan.FromSeconds(1));
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cognito=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>Whether the cookie's hosted session is still current: /oauth2/authorize completes at once, or asks for a sign-in.</summary>
    private async Task<bool> SignedInAsync(string cookie)
    {
        using var response = await SendAsync(HttpMethod.Get, "/oauth2/authorize?" + AuthorizeQuery, cookie: cookie);
        return response.Headers.Location!.OriginalString.StartsWith(Callback, StringComparison.Ordinal);
    }

    private string LogoutRequest(
        string nameId, string? sessionIndex, string? id = null, string? destination = null, string issuer = SamlResponseSpec.EntityId,
        DateTimeOffset? issued = null, string? signed = null) => $"""
        <samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id ?? signed ?? "_slo" + Guid.NewGuid().ToString("N")}" Version="2.0" IssueInstant="{SamlResponseSpec.Time(issued ?? _time.GetUtcNow())}" Destination="{destination ?? LogoutEndpoint}"><saml:Issuer>{issuer}</saml:Issuer>{(signed is null ? string.Empty : new SamlResponseSpec().SignatureTemplate(signed))}<saml:NameID>{nameId}</saml:NameID>{(sessionIndex is null ? string.Empty : $"<samlp:SessionIndex>{sessionIndex}</samlp:SessionIndex>")}</samlp:LogoutRequest>
        """;

    /// <summary>The IdP's request by the HTTP-Redirect binding, the query signed by openssl with <paramref name="keyFile"/>.</summary>
    private string RedirectQuery(string xml, string relayState, string? keyFile = null)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }

        var signed = "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(buffer.ToArray())) + "&RelayState=" + Uri.EscapeDataString(relayState)
            + "&SigAlg=" + Uri.EscapeDataString("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        return signed + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(_tools.Sign(signed, keyFile ?? _signer.KeyFile)));
    }

    private async Task<HttpResponseMessage> PostRequestAsync(string signedXml, string relayState = "idp-relay") =>
        await SendAsync(HttpMethod.Post, "/saml2/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLRequest"] = SamlResponseSpec.Base64(signedXml), ["RelayState"] = relayState,
        }));

    /// <summary>The LogoutResponse of an auto-posting page: the SAMLResponse form value, decoded.</summary>
    private static async Task<(string Action, string Xml, string RelayState)> PostedAnswerAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        string Value(string marker)
        {
            var at = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
            return WebUtility.HtmlDecode(html[at..html.IndexOf('"', at)]);
        }

        return (Value("action=\""), Encoding.UTF8.GetString(Convert.FromBase64String(Value("name=\"SAMLResponse\" value=\""))),
            Value("name=\"RelayState\" value=\""));
    }

    [Test]
    public async Task A_redirect_LogoutRequest_signed_by_openssl_ends_the_session_and_gets_a_LogoutResponse_openssl_verifies()
    {
        var cookie = await SignInAsync("Corp", "r1@corp.example", "idx-r1");
        Assert.That(await SignedInAsync(cookie), Is.True);
        var request = LogoutRequest("r1@corp.example", "idx-r1");

        using var response = await SendAsync(HttpMethod.Get, "/saml2/logout?" + RedirectQuery(request, "idp-relay"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo(Slo));
        var raw = location.Query.TrimStart('?');
        var query = Query(location);
        Assert.That(_tools.Verify(raw[..raw.IndexOf("&Signature=", StringComparison.Ordinal)], Convert.FromBase64String(query["Signature"]), _poolCertificate),
            Is.True, "openssl verifies the answer with GetSigningCertificate's certificate");
        var answer = Inflate(query["SAMLResponse"]);
        var sent = new XmlDocument();
        sent.LoadXml(request);
        var requestId = sent.DocumentElement!.GetAttribute("ID");
        Assert.That(answer.LocalName, Is.EqualTo("LogoutResponse"));
        Assert.That(answer.GetAttribute("InResponseTo"), Is.EqualTo(requestId));
        Assert.That(answer.GetAttribute("Destination"), Is.EqualTo(Slo));
        Assert.That(answer.GetElementsByTagName("StatusCode", "urn:oasis:names:tc:SAML:2.0:protocol")[0]!.Attributes!["Value"]!.Value,
            Is.EqualTo("urn:oasis:names:tc:SAML:2.0:status:Success"));
        Assert.That(query["RelayState"], Is.EqualTo("idp-relay"));
        Assert.That(await SignedInAsync(cookie), Is.False, "the hosted session ended");
    }

    [Test]
    public async Task A_POST_LogoutRequest_signed_by_xmlsec1_ends_the_session_and_gets_a_posted_LogoutResponse_xmlsec1_verifies()
    {
        var cookie = await SignInAsync("PostOnly", "p1@corp.example", "idx-p1", issuer: "https://post-idp.example.com");
        var id = "_slopost" + Guid.NewGuid().ToString("N");

        using var response = await PostRequestAsync(_signer.Sign(LogoutRequest("p1@corp.example", "idx-p1", issuer: "https://post-idp.example.com", signed: id)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        var (action, xml, relay) = await PostedAnswerAsync(response);
        Assert.That(action, Is.EqualTo(SloPost));
        Assert.That(relay, Is.EqualTo("idp-relay"));
        Assert.That(_signer.Verify(xml, _poolCertificate), Is.True, "xmlsec1 verifies the enveloped signature with the pool's certificate");
        Assert.That(_signer.Verify(xml, _signer.CertificateBase64), Is.False, "and not with another key");
        Assert.That(xml, Does.Contain($"InResponseTo=\"{id}\"").And.Contain("urn:oasis:names:tc:SAML:2.0:status:Success"));
        Assert.That(await SignedInAsync(cookie), Is.False);
    }

    [Test]
    public async Task A_request_without_SessionIndex_ends_every_session_of_the_NameID_and_another_users_session_stays()
    {
        var first = await SignInAsync("Corp", "all@corp.example", "idx-a1");
        var second = await SignInAsync("Corp", "all@corp.example", "idx-a2");
        var bystander = await SignInAsync("Corp", "bystander@corp.example", "idx-a1");

        using var response = await SendAsync(HttpMethod.Get, "/saml2/logout?" + RedirectQuery(LogoutRequest("all@corp.example", sessionIndex: null), "r"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await SignedInAsync(first), Is.False);
        Assert.That(await SignedInAsync(second), Is.False);
        Assert.That(await SignedInAsync(bystander), Is.True);
    }

    [Test]
    public async Task A_request_for_an_unknown_SessionIndex_changes_nothing_and_is_answered_UnknownPrincipal()
    {
        var cookie = await SignInAsync("Corp", "other-index@corp.example", "idx-real");

        using var response = await SendAsync(HttpMethod.Get, "/saml2/logout?" + RedirectQuery(LogoutRequest("other-index@corp.example", "idx-guess"), "r"));

        var answer = Inflate(Query(response.Headers.Location!)["SAMLResponse"]);
        Assert.That(answer.OuterXml, Does.Contain("urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"));
        Assert.That(await SignedInAsync(cookie), Is.True);
    }

    private static IEnumerable<TestCaseData> RefusedRedirects()
    {
        yield return new TestCaseData("unsigned").SetName("{m}(unsigned)");
        yield return new TestCaseData("another key").SetName("{m}(signed by another key)");
        yield return new TestCaseData("tampered").SetName("{m}(query changed after signing)");
        yield return new TestCaseData("expired").SetName("{m}(issued too long ago)");
        yield return new TestCaseData("future").SetName("{m}(issued in the future)");
        yield return new TestCaseData("destination").SetName("{m}(another Destination)");
        yield return new TestCaseData("issuer").SetName("{m}(an unknown issuer)");
        yield return new TestCaseData("no signout").SetName("{m}(a provider without IDPSignout)");
    }

    [TestCaseSource(nameof(RefusedRedirects))]
    public async Task A_refused_LogoutRequest_is_an_error_page_and_the_session_stays(string mutation)
    {
        var nameId = "refused-" + mutation.Replace(' ', '-') + "@corp.example";
        var cookie = await SignInAsync("Corp", nameId, "idx-x");
        var good = RedirectQuery(LogoutRequest(nameId, "idx-x"), "r");
        var query = mutation switch
        {
            "unsigned" => good[..good.IndexOf("&SigAlg=", StringComparison.Ordinal)],
            "another key" => RedirectQuery(LogoutRequest(nameId, "idx-x"), "r", _attacker.KeyFile),
            "tampered" => good.Replace("RelayState=r", "RelayState=s", StringComparison.Ordinal),
            "expired" => RedirectQuery(LogoutRequest(nameId, "idx-x", issued: _time.GetUtcNow().AddMinutes(-10)), "r"),
            "future" => RedirectQuery(LogoutRequest(nameId, "idx-x", issued: _time.GetUtcNow().AddMinutes(10)), "r"),
            "destination" => RedirectQuery(LogoutRequest(nameId, "idx-x", destination: "https://evil.example.com/saml2/logout"), "r"),
            "issuer" => RedirectQuery(LogoutRequest(nameId, "idx-x", issuer: "https://unknown.example.com"), "r"),
            _ => RedirectQuery(LogoutRequest(nameId, "idx-x", issuer: OtherEntity), "r"),
        };

        using var response = await SendAsync(HttpMethod.Get, "/saml2/logout?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(await SignedInAsync(cookie), Is.True);
    }

    [Test]
    public async Task A_replayed_LogoutRequest_is_refused_and_does_not_end_a_later_session()
    {
        var first = await SignInAsync("Corp", "replay@corp.example", "idx-same");
        var query = RedirectQuery(LogoutRequest("replay@corp.example", "idx-same"), "r");
        using var accepted = await SendAsync(HttpMethod.Get, "/saml2/logout?" + query);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await SignedInAsync(first), Is.False);
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = await SignInAsync("Corp", "replay@corp.example", "idx-same");

        using var replayed = await SendAsync(HttpMethod.Get, "/saml2/logout?" + query);

        Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await SignedInAsync(again), Is.True, "a new sign-in after the logout is not ended by its replay");
    }

    [Test]
    public async Task A_POST_LogoutRequest_without_a_signature_or_signed_by_another_key_is_refused()
    {
        var cookie = await SignInAsync("Corp", "post-refused@corp.example", "idx-pr");
        var id = "_slobad" + Guid.NewGuid().ToString("N");

        using var unsigned = await PostRequestAsync(LogoutRequest("post-refused@corp.example", "idx-pr"));
        using var forged = await PostRequestAsync(_attacker.Sign(LogoutRequest("post-refused@corp.example", "idx-pr", signed: id)));

        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await SignedInAsync(cookie), Is.True);
    }
}
