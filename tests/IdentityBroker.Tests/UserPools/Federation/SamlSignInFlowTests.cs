using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using IdentityBroker.Tests.Federation.Saml;
using IdentityBroker.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// SAML sign-in into a user pool through its domain: the SP-initiated AuthnRequest by HTTP-Redirect with a sealed
/// RelayState, the ACS /saml2/idpresponse checked by the broker's SAML validator (responses signed by xmlsec1), the
/// federated user, the code to the client; and the refusals: unsigned, wrapped, wrong audience, replayed, RelayState
/// changed. The test plays the browser and the IdP.
/// </summary>
[TestFixture]
public sealed class SamlSignInFlowTests
{
    private const string Callback = "http://127.0.0.1:9/callback";
    private const string Challenge = "LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg";

    /// <summary>At the real time, since the API calls are SigV4-signed by the wall clock; the responses' windows follow it.</summary>
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private BrokerServer _server = null!;
    private WebApplication _metadataHost = null!;
    private XmlSec1Signer _signer = null!;
    private HttpClient _browser = null!;
    private string _pool = null!;
    private string _clientId = null!;
    private string _host = null!;

    private string Acs => "http://" + _host + "/saml2/idpresponse";

    private string Audience => "urn:amazon:cognito:sp:" + _pool;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(XmlSec1Signer.IsAvailable, Is.True, "xmlsec1 is not installed (apt-get install -y xmlsec1; test.sh installs it).");
        _signer = new XmlSec1Signer();
        _server = await BrokerServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(_time));
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        _pool = (await CallAsync("CreateUserPool", """{"PoolName":"Saml"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var prefix = "saml" + Guid.NewGuid().ToString("N")[..8];
        await CallAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{_pool}}","Domain":"{{prefix}}"}""");
        _host = prefix + ".auth.localhost";
        await CallAsync("CreateIdentityProvider", JsonSerializer.Serialize(new
        {
            UserPoolId = _pool, ProviderName = "Corp", ProviderType = "SAML",
            ProviderDetails = new Dictionary<string, string> { ["MetadataFile"] = SamlResponseSpec.Metadata(_signer.CertificateBase64) },
            AttributeMapping = new Dictionary<string, string> { ["nickname"] = "department" },
        }));
        await CallAsync("CreateIdentityProvider", JsonSerializer.Serialize(new
        {
            UserPoolId = _pool, ProviderName = "Portal", ProviderType = "SAML",
            ProviderDetails = new Dictionary<string, string> { ["MetadataFile"] = SamlResponseSpec.Metadata(_signer.CertificateBase64), ["IDPInit"] = "true" },
        }));
        // A provider given by MetadataURL: the broker fetches the document from this loopback server.
        var metadataBuilder = WebApplication.CreateSlimBuilder();
        metadataBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        metadataBuilder.Logging.ClearProviders();
        _metadataHost = metadataBuilder.Build();
        var document = SamlResponseSpec.Metadata(_signer.CertificateBase64);
        _metadataHost.MapGet("/metadata", () => Results.Text(document, "application/samlmetadata+xml"));
        await _metadataHost.StartAsync();
        var metadataUrl = _metadataHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/metadata";
        await CallAsync("CreateIdentityProvider", JsonSerializer.Serialize(new
        {
            UserPoolId = _pool, ProviderName = "Remote", ProviderType = "SAML",
            ProviderDetails = new Dictionary<string, string> { ["MetadataURL"] = metadataUrl },
        }));
        _clientId = (await CallAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"web","CallbackURLs":["{{Callback}}"],"AllowedOAuthFlows":["code"],
             "AllowedOAuthScopes":["openid"],"AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["Corp","Portal","Remote","COGNITO"]}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
        _signer.Dispose();
        await _metadataHost.DisposeAsync();
    }

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        request.Headers.Host = _host;
        return await _browser.SendAsync(request);
    }

    /// <summary>The first leg: /oauth2/authorize naming the SAML provider, answered with the redirect to the IdP's SSO service.</summary>
    private async Task<Dictionary<string, string>> GoToIdpAsync(string provider = "Corp")
    {
        using var response = await SendAsync(HttpMethod.Get,
            $"/oauth2/authorize?response_type=code&client_id={_clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid"
            + $"&state=client-state&code_challenge={Challenge}&code_challenge_method=S256&identity_provider={provider}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo("https://idp.example.com/sso"));
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    private SamlResponseSpec Spec(string nameId = "alice@example.com", string? inResponseTo = null) => new()
    {
        NameId = nameId, Audience = Audience, Recipient = Acs, NotBefore = _time.GetUtcNow().AddMinutes(-1), NotOnOrAfter = _time.GetUtcNow().AddMinutes(5),
        InResponseTo = inResponseTo,
    };

    /// <summary>The SP-initiated leg as an IdP sees it: the AuthnRequest (inflated) and the RelayState to post back.</summary>
    private async Task<(XmlElement Request, string RelayState)> SignInRequestAsync(string provider = "Corp")
    {
        var query = await GoToIdpAsync(provider);
        using var inflated = new DeflateStream(new MemoryStream(Convert.FromBase64String(query["SAMLRequest"])), CompressionMode.Decompress);
        var request = new XmlDocument();
        request.Load(inflated);
        return (request.DocumentElement!, query["RelayState"]);
    }

    private async Task<HttpResponseMessage> PostAsync(string responseXml, string? relayState) =>
        await SendAsync(HttpMethod.Post, "/saml2/idpresponse", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = SamlResponseSpec.Base64(responseXml),
            ["RelayState"] = relayState ?? string.Empty,
        }));

    private static Dictionary<string, string> Query(Uri uri) => QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private async Task<bool> UserExistsAsync(string username)
    {
        using var response = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"{{username}}"}""");
        return response.IsSuccessStatusCode;
    }

    [Test]
    public async Task Authorize_sends_a_deflated_AuthnRequest_from_the_pools_entity_id_with_the_acs_and_a_sealed_RelayState()
    {
        var query = await GoToIdpAsync();

        using var inflated = new DeflateStream(new MemoryStream(Convert.FromBase64String(query["SAMLRequest"])), CompressionMode.Decompress);
        var request = new XmlDocument();
        request.Load(inflated);
        var root = request.DocumentElement!;
        Assert.That(root.LocalName, Is.EqualTo("AuthnRequest"));
        Assert.That(root.GetAttribute("AssertionConsumerServiceURL"), Is.EqualTo(Acs));
        Assert.That(root.GetAttribute("ProtocolBinding"), Is.EqualTo("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
        Assert.That(root.GetAttribute("Destination"), Is.EqualTo("https://idp.example.com/sso"));
        Assert.That(root["Issuer", "urn:oasis:names:tc:SAML:2.0:assertion"]!.InnerText, Is.EqualTo(Audience));
        Assert.That(query["RelayState"], Does.Not.Contain(_clientId), "the RelayState is sealed, not the authorize query in the clear");
    }

    [Test]
    public async Task A_signed_response_at_the_acs_signs_the_NameIDs_federated_user_in_with_a_code_for_the_client()
    {
        var (request, relay) = await SignInRequestAsync();
        var id = request.GetAttribute("ID");

        using var response = await PostAsync(_signer.Sign(Spec("bob@example.com", id).Template()), relay);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var back = Query(response.Headers.Location!);
        Assert.That(response.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
        Assert.That(back["state"], Is.EqualTo("client-state"));
        Assert.That(back, Does.ContainKey("code"));
        var user = await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"Corp_bob@example.com"}""");
        Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("EXTERNAL_PROVIDER"));
        var attributes = user.GetProperty("UserAttributes").EnumerateArray().ToDictionary(a => a.GetProperty("Name").GetString()!, a => a.GetProperty("Value").GetString());
        Assert.That(attributes["nickname"], Is.EqualTo("finance"));
        Assert.That(attributes["identities"], Does.Contain("\"providerType\":\"SAML\"").And.Contain("\"userId\":\"bob@example.com\""));
    }

    [Test]
    public async Task A_provider_given_by_MetadataURL_signs_in_with_the_fetched_metadata()
    {
        var (request, relay) = await SignInRequestAsync("Remote");
        var id = request.GetAttribute("ID");

        using var response = await PostAsync(_signer.Sign(Spec("frank@example.com", id).Template()), relay);

        Assert.That(Query(response.Headers.Location!), Does.ContainKey("code"), await response.Content.ReadAsStringAsync());
        Assert.That(await UserExistsAsync("Remote_frank@example.com"), Is.True);
    }

    [Test]
    public async Task The_same_response_posted_again_is_a_replay_and_signs_nobody_in()
    {
        var (request, relay) = await SignInRequestAsync();
        var id = request.GetAttribute("ID");
        var signed = _signer.Sign(Spec("carol@example.com", id).Template());
        using (var first = await PostAsync(signed, relay))
        {
            Assert.That(Query(first.Headers.Location!), Does.ContainKey("code"));
        }

        using var again = await PostAsync(signed, relay);

        var back = Query(again.Headers.Location!);
        Assert.That(back["error"], Is.EqualTo("access_denied"));
        Assert.That(back, Does.Not.ContainKey("code"));
    }

    [Test]
    public async Task An_unsigned_response_is_refused_at_the_client_and_makes_no_user()
    {
        var (request, relay) = await SignInRequestAsync();
        var id = request.GetAttribute("ID");

        using var response = await PostAsync((Spec("unsigned@example.com", id) with { Signed = SignedPart.None }).Template(), relay);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(await UserExistsAsync("Corp_unsigned@example.com"), Is.False);
    }

    [Test]
    public async Task A_response_for_another_audience_is_refused()
    {
        var (request, relay) = await SignInRequestAsync();
        var id = request.GetAttribute("ID");

        using var response = await PostAsync(_signer.Sign((Spec("aud@example.com", id) with { Audience = "urn:amazon:cognito:sp:us-east-1_Other" }).Template()), relay);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(await UserExistsAsync("Corp_aud@example.com"), Is.False);
    }

    [Test]
    public async Task A_wrapped_response_with_an_unsigned_evil_assertion_before_the_signed_one_is_refused()
    {
        var (request, relay) = await SignInRequestAsync();
        var id = request.GetAttribute("ID");
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(_signer.Sign(Spec("victim@example.com", id).Template()));
        var signed = document.DocumentElement!["Assertion", "urn:oasis:names:tc:SAML:2.0:assertion"]!;
        var evil = (XmlElement)signed.CloneNode(deep: true);
        evil.SetAttribute("ID", "_evil");
        evil.RemoveChild(evil["Signature", "http://www.w3.org/2000/09/xmldsig#"]!);
        evil.GetElementsByTagName("NameID", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!.InnerText = "admin@example.com";
        document.DocumentElement!.InsertBefore(evil, signed);

        using var response = await PostAsync(document.OuterXml, relay);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(await UserExistsAsync("Corp_admin@example.com"), Is.False);
        Assert.That(await UserExistsAsync("Corp_victim@example.com"), Is.False);
    }

    [Test]
    public async Task A_changed_or_missing_RelayState_is_an_error_page_and_never_a_redirect()
    {
        var (request, relay) = await SignInRequestAsync();
        var id = request.GetAttribute("ID");
        var tampered = relay[..10] + (relay[10] == 'A' ? 'B' : 'A') + relay[11..];

        using var changed = await PostAsync(_signer.Sign(Spec("relay@example.com", id).Template()), tampered);
        using var missing = await PostAsync(_signer.Sign(Spec("relay@example.com", id).Template()), null);

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(changed.Headers.Location, Is.Null);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await UserExistsAsync("Corp_relay@example.com"), Is.False);
    }

    /// <summary>The RelayState of an IdP-initiated post: the authorize query in the clear, as Cognito documents it.</summary>
    private string IdpInitiatedRelayState(string provider) =>
        $"identity_provider={provider}&client_id={_clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&response_type=code&scope=openid"
        + $"&code_challenge={Challenge}&code_challenge_method=S256";

    [Test]
    public async Task An_idp_initiated_response_for_a_provider_with_IDPInit_signs_in_with_the_client_its_RelayState_names()
    {
        using var response = await PostAsync(_signer.Sign(Spec("dave@example.com").Template()), IdpInitiatedRelayState("Portal"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(Callback));
        Assert.That(Query(response.Headers.Location!), Does.ContainKey("code"));
        Assert.That(await UserExistsAsync("Portal_dave@example.com"), Is.True);
    }

    [Test]
    public async Task An_idp_initiated_response_for_a_provider_without_IDPInit_is_an_error_page()
    {
        using var response = await PostAsync(_signer.Sign(Spec("erin@example.com").Template()), IdpInitiatedRelayState("Corp"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(await UserExistsAsync("Corp_erin@example.com"), Is.False);
    }

    [Test]
    public async Task The_sp_metadata_names_the_pools_entity_id_and_its_acs()
    {
        using var response = await SendAsync(HttpMethod.Get, "/saml2/metadata");
        var metadata = new XmlDocument();
        metadata.LoadXml(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(metadata.DocumentElement!.GetAttribute("entityID"), Is.EqualTo(Audience));
        var acs = (XmlElement)metadata.GetElementsByTagName("AssertionConsumerService", "urn:oasis:names:tc:SAML:2.0:metadata")[0]!;
        Assert.That(acs.GetAttribute("Location"), Is.EqualTo(Acs));
        Assert.That(acs.GetAttribute("Binding"), Is.EqualTo("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
    }

    [Test]
    public async Task The_AuthnRequest_ID_is_remembered_and_a_response_to_another_request_is_refused()
    {
        var (request, relay) = await SignInRequestAsync();
        var (other, _) = await SignInRequestAsync();
        Assert.That(request.GetAttribute("ID"), Does.StartWith("_").And.Not.EqualTo(other.GetAttribute("ID")));

        using var answeringOther = await PostAsync(_signer.Sign(Spec("ivan@example.com", other.GetAttribute("ID")).Template()), relay);
        using var answeringNone = await PostAsync(_signer.Sign(Spec("ivan@example.com").Template()), relay);

        Assert.Multiple(async () =>
        {
            Assert.That(Query(answeringOther.Headers.Location!)["error"], Is.EqualTo("access_denied"));
            Assert.That(Query(answeringNone.Headers.Location!)["error"], Is.EqualTo("access_denied"), "SP-initiated: InResponseTo is required");
            Assert.That(await UserExistsAsync("Corp_ivan@example.com"), Is.False);
        });
    }
}
