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
/// The SAML provider options Cognito has beyond plain sign-in, through a real broker on its pool domain, with the test as
/// browser and IdP: RequestSigningAlgorithm (a redirect-binding signature that openssl verifies with the certificate of
/// the SP metadata), EncryptedResponses (assertions encrypted by xmlsec1 to the metadata's encryption certificate, and the
/// hostile variants), and IDPSignout (the signed LogoutRequest at /logout and the IdP's LogoutResponse at /saml2/logout).
/// </summary>
[TestFixture]
public sealed class SamlSigningEncryptionLogoutTests
{
    private const string Callback = "http://127.0.0.1:9/callback";
    private const string SignedOut = "http://127.0.0.1:9/signed-out";
    private const string Challenge = "LSjjq9yHynDDsPzxeHQrF1AOduaqt9dSpOPAWt16lOg";
    private const string Slo = "https://idp.example.com/slo";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private BrokerServer _server = null!;
    private XmlSec1Signer _signer = null!;
    private SamlIdpTools _tools = null!;
    private HttpClient _browser = null!;
    private string _pool = null!;
    private string _clientId = null!;
    private string _host = null!;
    private XmlDocument _metadata = null!;

    private string Acs => "http://" + _host + "/saml2/idpresponse";

    private string LogoutEndpoint => "http://" + _host + "/saml2/logout";

    private string Audience => "urn:amazon:cognito:sp:" + _pool;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(XmlSec1Signer.IsAvailable, Is.True, "xmlsec1 is not installed (apt-get install -y xmlsec1; test.sh installs it).");
        _signer = new XmlSec1Signer();
        _tools = new SamlIdpTools();
        _server = await BrokerServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(_time));
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        _pool = (await CallAsync("CreateUserPool", """{"PoolName":"SamlOptions"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var prefix = "samlx" + Guid.NewGuid().ToString("N")[..8];
        await CallAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{_pool}}","Domain":"{{prefix}}"}""");
        _host = prefix + ".auth.localhost";
        var metadata = SamlResponseSpec.Metadata(_signer.CertificateBase64, singleLogout: Slo);
        await CreateProviderAsync("Plain", new() { ["MetadataFile"] = metadata, ["IDPSignout"] = "false" });
        await CreateProviderAsync("Signed", new() { ["MetadataFile"] = metadata, ["RequestSigningAlgorithm"] = "rsa-sha256", ["IDPSignout"] = "true" });
        await CreateProviderAsync("Sealed", new() { ["MetadataFile"] = metadata, ["EncryptedResponses"] = "true" });
        _clientId = (await CallAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{_pool}}","ClientName":"web","CallbackURLs":["{{Callback}}"],"LogoutURLs":["{{SignedOut}}"],"AllowedOAuthFlows":["code"],
             "AllowedOAuthScopes":["openid"],"AllowedOAuthFlowsUserPoolClient":true,"SupportedIdentityProviders":["Plain","Signed","Sealed"]}
            """)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        using var response = await SendAsync(HttpMethod.Get, "/saml2/metadata");
        _metadata = new XmlDocument();
        _metadata.LoadXml(await response.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _browser.Dispose();
        await _server.DisposeAsync();
        _signer.Dispose();
        _tools.Dispose();
    }

    private async Task CreateProviderAsync(string name, Dictionary<string, string> details) =>
        await CallAsync("CreateIdentityProvider", JsonSerializer.Serialize(new { UserPoolId = _pool, ProviderName = name, ProviderType = "SAML", ProviderDetails = details }));

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

    /// <summary>The certificate of the SP metadata's KeyDescriptor for <paramref name="use"/>.</summary>
    private string SpCertificate(string use) =>
        _metadata.GetElementsByTagName("KeyDescriptor", "urn:oasis:names:tc:SAML:2.0:metadata").OfType<XmlElement>()
            .Single(k => k.GetAttribute("use") == use).GetElementsByTagName("X509Certificate", "http://www.w3.org/2000/09/xmldsig#")[0]!.InnerText;

    /// <summary>/oauth2/authorize naming the provider: the redirect to the IdP, as a raw query and parsed.</summary>
    private async Task<(string RawQuery, Dictionary<string, string> Query)> GoToIdpAsync(string provider)
    {
        using var response = await SendAsync(HttpMethod.Get,
            $"/oauth2/authorize?response_type=code&client_id={_clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid"
            + $"&state=client-state&code_challenge={Challenge}&code_challenge_method=S256&identity_provider={provider}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo("https://idp.example.com/sso"));
        return (location.Query.TrimStart('?'), QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString()));
    }

    private static XmlElement Inflate(string base64)
    {
        using var inflated = new DeflateStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
        var document = new XmlDocument();
        document.Load(inflated);
        return document.DocumentElement!;
    }

    /// <summary>The octets a redirect-binding signature covers: the query up to <c>&amp;Signature=</c>, exactly as sent.</summary>
    private static string SignedOctets(string rawQuery) => rawQuery[..rawQuery.IndexOf("&Signature=", StringComparison.Ordinal)];

    private SamlResponseSpec Spec(string nameId, string? inResponseTo) => new()
    {
        NameId = nameId, Audience = Audience, Recipient = Acs, NotBefore = _time.GetUtcNow().AddMinutes(-1), NotOnOrAfter = _time.GetUtcNow().AddMinutes(5),
        InResponseTo = inResponseTo,
    };

    private async Task<HttpResponseMessage> PostAsync(string responseXml, string relayState) =>
        await SendAsync(HttpMethod.Post, "/saml2/idpresponse", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = SamlResponseSpec.Base64(responseXml),
            ["RelayState"] = relayState,
        }));

    private static Dictionary<string, string> Query(Uri uri) => QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private async Task<bool> UserExistsAsync(string username)
    {
        using var response = await _server.SignedUserPoolsAsync("AdminGetUser", $$"""{"UserPoolId":"{{_pool}}","Username":"{{username}}"}""");
        return response.IsSuccessStatusCode;
    }

    /// <summary>A signed-in response (assertion signed by xmlsec1), encrypted by xmlsec1 to the SP metadata's encryption certificate.</summary>
    private string Encrypted(SamlResponseSpec spec, string content = "aes256-cbc", string? certificate = null) =>
        _tools.Encrypt(SamlIdpTools.WrapAssertion(_signer.Sign(spec.Template())), certificate ?? SpCertificate("encryption"), content);

    // --- RequestSigningAlgorithm -------------------------------------------------------------------------------------

    [Test]
    public void The_sp_metadata_publishes_signing_and_encryption_certificates_the_logout_service_and_AuthnRequestsSigned()
    {
        var descriptor = (XmlElement)_metadata.GetElementsByTagName("SPSSODescriptor", "urn:oasis:names:tc:SAML:2.0:metadata")[0]!;
        var logout = _metadata.GetElementsByTagName("SingleLogoutService", "urn:oasis:names:tc:SAML:2.0:metadata").OfType<XmlElement>().ToList();

        Assert.That(descriptor.GetAttribute("AuthnRequestsSigned"), Is.EqualTo("true"));
        Assert.That(SpCertificate("signing"), Is.Not.Empty.And.Not.EqualTo(SpCertificate("encryption")));
        Assert.That(logout.Select(l => l.GetAttribute("Location")), Is.All.EqualTo(LogoutEndpoint));
        Assert.That(logout.Select(l => l.GetAttribute("Binding")), Does.Contain("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"));
    }

    [Test]
    public async Task A_provider_with_RequestSigningAlgorithm_gets_an_AuthnRequest_whose_redirect_signature_openssl_verifies()
    {
        var (raw, query) = await GoToIdpAsync("Signed");

        Assert.That(query["SigAlg"], Is.EqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"));
        Assert.That(raw.IndexOf("&Signature=", StringComparison.Ordinal), Is.GreaterThan(raw.IndexOf("&SigAlg=", StringComparison.Ordinal)));
        var signature = Convert.FromBase64String(query["Signature"]);
        Assert.That(_tools.Verify(SignedOctets(raw), signature, SpCertificate("signing")), Is.True, "openssl verifies the query signature");
        Assert.That(Inflate(query["SAMLRequest"]).GetAttribute("AssertionConsumerServiceURL"), Is.EqualTo(Acs));
    }

    [Test]
    public async Task A_tampered_signed_AuthnRequest_fails_the_IdPs_verification()
    {
        var (raw, query) = await GoToIdpAsync("Signed");
        var signed = SignedOctets(raw);
        var relayAt = signed.IndexOf("&RelayState=", StringComparison.Ordinal) + 15;
        var tampered = signed[..relayAt] + (signed[relayAt] == 'A' ? 'B' : 'A') + signed[(relayAt + 1)..];

        Assert.That(_tools.Verify(tampered, Convert.FromBase64String(query["Signature"]), SpCertificate("signing")), Is.False);
        Assert.That(_tools.Verify(signed, Convert.FromBase64String(query["Signature"]), _signer.CertificateBase64), Is.False, "another key");
    }

    [Test]
    public async Task A_provider_without_RequestSigningAlgorithm_gets_an_unsigned_AuthnRequest_as_in_Cognito()
    {
        var (_, query) = await GoToIdpAsync("Plain");

        Assert.That(query, Does.Not.ContainKey("Signature").And.Not.ContainKey("SigAlg"));
    }

    // --- EncryptedResponses ------------------------------------------------------------------------------------------

    [TestCase("aes256-cbc")]
    [TestCase("aes128-gcm")]
    [TestCase("aes256-gcm")]
    public async Task An_assertion_encrypted_by_xmlsec1_to_the_metadatas_certificate_signs_in(string content)
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var nameId = "enc-" + content + "@example.com";

        using var response = await PostAsync(Encrypted(Spec(nameId, id), content), query["RelayState"]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(Query(response.Headers.Location!), Does.ContainKey("code"), response.Headers.Location!.Query);
        Assert.That(await UserExistsAsync("Sealed_" + nameId), Is.True);
    }

    [Test]
    public async Task A_response_signed_over_its_encrypted_assertion_signs_in()
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var spec = Spec("outer@example.com", id) with { Signed = SignedPart.Response };
        var encrypted = _tools.Encrypt(SamlIdpTools.WrapAssertion(spec.Template()), SpCertificate("encryption"));

        using var response = await PostAsync(_signer.Sign(encrypted), query["RelayState"]);

        Assert.That(Query(response.Headers.Location!), Does.ContainKey("code"), response.Headers.Location!.Query);
        Assert.That(await UserExistsAsync("Sealed_outer@example.com"), Is.True);
    }

    [Test]
    public async Task An_unencrypted_assertion_is_refused_when_the_provider_requires_encryption()
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");

        using var response = await PostAsync(_signer.Sign(Spec("clear@example.com", id).Template()), query["RelayState"]);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(Query(response.Headers.Location!)["error_description"], Does.Contain("not encrypted"));
        Assert.That(await UserExistsAsync("Sealed_clear@example.com"), Is.False);
    }

    [Test]
    public async Task An_encrypted_assertion_is_refused_for_a_provider_without_EncryptedResponses()
    {
        var (_, query) = await GoToIdpAsync("Plain");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");

        using var response = await PostAsync(Encrypted(Spec("plainenc@example.com", id)), query["RelayState"]);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(await UserExistsAsync("Plain_plainenc@example.com"), Is.False);
    }

    [Test]
    public async Task An_assertion_encrypted_to_another_key_is_refused()
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");

        using var response = await PostAsync(Encrypted(Spec("otherkey@example.com", id), certificate: _signer.CertificateBase64), query["RelayState"]);

        Assert.That(Query(response.Headers.Location!)["error_description"], Does.Contain("could not be decrypted"));
        Assert.That(await UserExistsAsync("Sealed_otherkey@example.com"), Is.False);
    }

    [Test]
    public async Task A_content_key_sent_with_RSA_PKCS1_v1_5_is_refused()
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var response = _tools.Encrypt(SamlIdpTools.WrapAssertion(_signer.Sign(Spec("pkcs1@example.com", id).Template())), SpCertificate("encryption"),
            keyTransport: "rsa-1_5");

        using var posted = await PostAsync(response, query["RelayState"]);

        Assert.That(Query(posted.Headers.Location!)["error_description"], Does.Contain("could not be decrypted"));
        Assert.That(await UserExistsAsync("Sealed_pkcs1@example.com"), Is.False);
    }

    [TestCase("aes256-cbc")]
    [TestCase("aes128-gcm")]
    public async Task A_tampered_ciphertext_is_refused(string content)
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(Encrypted(Spec("tamper@example.com", id), content));
        var values = document.GetElementsByTagName("CipherValue", "http://www.w3.org/2001/04/xmlenc#");
        var data = (XmlElement)values[values.Count - 1]!;
        var bytes = Convert.FromBase64String(data.InnerText);
        bytes[bytes.Length / 2] ^= 0x01;
        data.InnerText = Convert.ToBase64String(bytes);

        using var response = await PostAsync(document.OuterXml, query["RelayState"]);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(await UserExistsAsync("Sealed_tamper@example.com"), Is.False);
    }

    [Test]
    public async Task An_encrypted_but_unsigned_assertion_is_refused()
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var unsigned = (Spec("unsigned-enc@example.com", id) with { Signed = SignedPart.None }).Template();

        using var response = await PostAsync(_tools.Encrypt(SamlIdpTools.WrapAssertion(unsigned), SpCertificate("encryption")), query["RelayState"]);

        Assert.That(Query(response.Headers.Location!)["error_description"], Does.Contain("signed"));
        Assert.That(await UserExistsAsync("Sealed_unsigned-enc@example.com"), Is.False);
    }

    [Test]
    public async Task An_unsigned_plain_assertion_beside_a_signed_encrypted_one_is_refused()
    {
        var (_, query) = await GoToIdpAsync("Sealed");
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(Encrypted(Spec("victim-enc@example.com", id)));
        var evil = new XmlDocument { PreserveWhitespace = true };
        evil.LoadXml((Spec("admin-enc@example.com", id) with { Signed = SignedPart.None }).AssertionXml(string.Empty));
        document.DocumentElement!.AppendChild(document.ImportNode(evil.DocumentElement!, deep: true));

        using var response = await PostAsync(document.OuterXml, query["RelayState"]);

        Assert.That(Query(response.Headers.Location!)["error"], Is.EqualTo("access_denied"));
        Assert.That(await UserExistsAsync("Sealed_admin-enc@example.com"), Is.False);
        Assert.That(await UserExistsAsync("Sealed_victim-enc@example.com"), Is.False);
    }

    // --- IDPSignout --------------------------------------------------------------------------------------------------

    /// <summary>Signs <paramref name="nameId"/> in through the provider; the hosted session cookie.</summary>
    private async Task<string> SignInAsync(string provider, string nameId)
    {
        var (_, query) = await GoToIdpAsync(provider);
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        using var response = await PostAsync(_signer.Sign(Spec(nameId, id).Template()), query["RelayState"]);
        Assert.That(Query(response.Headers.Location!), Does.ContainKey("code"), response.Headers.Location!.Query);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cognito=", StringComparison.Ordinal)).Split(';')[0];
    }

    private async Task<HttpResponseMessage> LogoutAsync(string cookie) =>
        await SendAsync(HttpMethod.Get, $"/logout?client_id={_clientId}&logout_uri={Uri.EscapeDataString(SignedOut)}", cookie: cookie);

    /// <param name="signedId">The response's ID with an enveloped signature template for it (HTTP-POST); null: unsigned, for the redirect binding.</param>
    private string LogoutResponse(string inResponseTo, string? destination = null, string status = "urn:oasis:names:tc:SAML:2.0:status:Success", string? signedId = null) => $"""
        <samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{signedId ?? "_lr" + Guid.NewGuid().ToString("N")}" Version="2.0" IssueInstant="{SamlResponseSpec.Time(_time.GetUtcNow())}" Destination="{destination ?? LogoutEndpoint}" InResponseTo="{inResponseTo}"><saml:Issuer>{SamlResponseSpec.EntityId}</saml:Issuer>{(signedId is null ? string.Empty : new SamlResponseSpec().SignatureTemplate(signedId))}<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status></samlp:LogoutResponse>
        """;

    /// <summary>The IdP's answer by the HTTP-Redirect binding, signed by openssl with the IdP's key.</summary>
    private string RedirectQuery(string xml, string relayState)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }

        var signed = "SAMLResponse=" + Uri.EscapeDataString(Convert.ToBase64String(buffer.ToArray())) + "&RelayState=" + Uri.EscapeDataString(relayState)
            + "&SigAlg=" + Uri.EscapeDataString("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        return signed + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(_tools.Sign(signed, _signer.KeyFile)));
    }

    [Test]
    public async Task Logout_with_IDPSignout_sends_a_signed_LogoutRequest_and_the_IdPs_LogoutResponse_completes_the_redirect()
    {
        var cookie = await SignInAsync("Signed", "slo@example.com");

        using var logout = await LogoutAsync(cookie);

        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await logout.Content.ReadAsStringAsync());
        var location = logout.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo(Slo));
        var raw = location.Query.TrimStart('?');
        var query = Query(location);
        Assert.That(_tools.Verify(SignedOctets(raw), Convert.FromBase64String(query["Signature"]), SpCertificate("signing")), Is.True);
        var request = Inflate(query["SAMLRequest"]);
        Assert.That(request.LocalName, Is.EqualTo("LogoutRequest"));
        Assert.That(request.GetAttribute("Destination"), Is.EqualTo(Slo));
        Assert.That(request["NameID", "urn:oasis:names:tc:SAML:2.0:assertion"]!.InnerText, Is.EqualTo("slo@example.com"));
        Assert.That(request["Issuer", "urn:oasis:names:tc:SAML:2.0:assertion"]!.InnerText, Is.EqualTo(Audience));
        Assert.That(logout.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("cognito=;", StringComparison.Ordinal) || c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)),
            Is.True, "the hosted session ends before the browser goes to the IdP");

        using var back = await SendAsync(HttpMethod.Get, "/saml2/logout?" + RedirectQuery(LogoutResponse(request.GetAttribute("ID")), query["RelayState"]));

        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await back.Content.ReadAsStringAsync());
        Assert.That(back.Headers.Location!.AbsoluteUri, Is.EqualTo(SignedOut));
    }

    [Test]
    public async Task A_LogoutResponse_by_HTTP_POST_with_an_xmlsec1_signature_completes_the_sign_out()
    {
        var cookie = await SignInAsync("Signed", "slopost@example.com");
        using var logout = await LogoutAsync(cookie);
        var query = Query(logout.Headers.Location!);
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var xml = LogoutResponse(id, signedId: "_lrpost" + Guid.NewGuid().ToString("N"));

        using var back = await SendAsync(HttpMethod.Post, "/saml2/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = SamlResponseSpec.Base64(_signer.Sign(xml)), ["RelayState"] = query["RelayState"],
        }));
        using var unsigned = await SendAsync(HttpMethod.Post, "/saml2/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = SamlResponseSpec.Base64(LogoutResponse(id)), ["RelayState"] = query["RelayState"],
        }));

        Assert.That(back.Headers.Location?.AbsoluteUri, Is.EqualTo(SignedOut), await back.Content.ReadAsStringAsync());
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unsigned.Headers.Location, Is.Null);
    }

    [Test]
    public async Task A_LogoutResponse_that_is_tampered_answers_another_request_or_goes_elsewhere_is_an_error_page()
    {
        var cookie = await SignInAsync("Signed", "slobad@example.com");
        using var logout = await LogoutAsync(cookie);
        var query = Query(logout.Headers.Location!);
        var id = Inflate(query["SAMLRequest"]).GetAttribute("ID");
        var good = RedirectQuery(LogoutResponse(id), query["RelayState"]);
        var sigAt = good.IndexOf("&Signature=", StringComparison.Ordinal) + 12;
        var cases = new Dictionary<string, string>
        {
            ["tampered signature"] = good[..sigAt] + (good[sigAt] == 'A' ? 'B' : 'A') + good[(sigAt + 1)..],
            ["unsigned"] = good[..good.IndexOf("&SigAlg=", StringComparison.Ordinal)],
            ["other InResponseTo"] = RedirectQuery(LogoutResponse("_other"), query["RelayState"]),
            ["other Destination"] = RedirectQuery(LogoutResponse(id, destination: "https://evil.example.com/saml2/logout"), query["RelayState"]),
            ["not Success"] = RedirectQuery(LogoutResponse(id, status: "urn:oasis:names:tc:SAML:2.0:status:Requester"), query["RelayState"]),
            ["changed RelayState"] = RedirectQuery(LogoutResponse(id), query["RelayState"][..^2] + "xx"),
        };

        foreach (var (name, value) in cases)
        {
            using var back = await SendAsync(HttpMethod.Get, "/saml2/logout?" + value);
            Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), name);
            Assert.That(back.Headers.Location, Is.Null, name);
        }
    }

    [Test]
    public async Task Logout_of_a_user_whose_provider_has_no_IDPSignout_goes_straight_to_the_logout_uri()
    {
        var cookie = await SignInAsync("Plain", "local-only@example.com");

        using var logout = await LogoutAsync(cookie);

        Assert.That(logout.Headers.Location!.AbsoluteUri, Is.EqualTo(SignedOut));
    }
}
