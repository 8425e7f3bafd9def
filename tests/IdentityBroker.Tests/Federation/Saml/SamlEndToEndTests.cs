using System.Text.Json;
using IdentityBroker.Tests.Integration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>
/// Over HTTP against the real broker: register the IdP with CreateSAMLProvider (signed IAM Query), list it in a pool,
/// then log in with an xmlsec1-signed response exactly as an app does (GetId, then GetOpenIdToken with the same response).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SamlEndToEndTests
{
    private BrokerServer _server = null!;
    private XmlSec1Signer _signer = null!;
    private string _poolId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _signer = new XmlSec1Signer();
        _server = await BrokerServer.StartAsync();
        var metadata = Uri.EscapeDataString(SamlResponseSpec.Metadata(_signer.CertificateBase64));
        using var created = await _server.SignedQueryAsync("iam", $"Action=CreateSAMLProvider&Version=2010-05-08&Name=CorpIdP&SAMLMetadataDocument={metadata}");
        Assert.That((int)created.StatusCode, Is.EqualTo(200), await created.Content.ReadAsStringAsync());

        var pool = JsonSerializer.Serialize(new { IdentityPoolName = "saml", AllowUnauthenticatedIdentities = false, SamlProviderARNs = new[] { SamlResponseSpec.ProviderArn } });
        using var response = await _server.SignedCognitoAsync("CreateIdentityPool", pool);
        _poolId = (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityPoolId").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        _signer.Dispose();
    }

    [Test]
    public async Task One_response_serves_GetId_and_GetOpenIdToken_and_the_token_carries_the_SAML_amr()
    {
        var logins = Logins(Signed(new SamlResponseSpec { NameId = "carol@example.com" }));
        var identityId = await GetIdAsync(logins);
        Assert.That(await GetIdAsync(logins), Is.EqualTo(identityId), "the same response resolves to the same identity");

        using var response = await _server.CognitoAsync("GetOpenIdToken", JsonSerializer.Serialize(new { IdentityId = identityId, Logins = logins }));
        var token = new JsonWebToken((await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("Token").GetString()!);
        var amr = token.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ToList();
        Assert.That(amr, Does.Contain("authenticated"));
        Assert.That(amr, Does.Contain($"{SamlResponseSpec.ProviderArn}:SAML:carol@example.com"));
    }

    [Test]
    public async Task A_forged_response_is_NotAuthorizedException_without_its_content()
    {
        var forged = Signed(new SamlResponseSpec { NameId = "dave@example.com" }).Replace("dave@example.com", "root@example.com", StringComparison.Ordinal);
        using var response = await _server.CognitoAsync("GetId", JsonSerializer.Serialize(new { IdentityPoolId = _poolId, Logins = Logins(forged) }));
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException");
        Assert.That(message, Does.StartWith("Invalid login token.").And.Not.Contain("root@example.com"));
    }

    [Test]
    public async Task The_SAML_provider_is_listed_by_the_IAM_API()
    {
        using var response = await _server.SignedQueryAsync("iam", "Action=ListSAMLProviders&Version=2010-05-08");
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"<Arn>{SamlResponseSpec.ProviderArn}</Arn>"));
    }

    private string Signed(SamlResponseSpec spec)
    {
        var now = DateTimeOffset.UtcNow;
        return _signer.Sign((spec with { NotBefore = now.AddMinutes(-1), NotOnOrAfter = now.AddMinutes(5) }).Template());
    }

    private static Dictionary<string, string> Logins(string xml) => new() { [SamlResponseSpec.ProviderArn] = SamlResponseSpec.Base64(xml) };

    private async Task<string> GetIdAsync(Dictionary<string, string> logins)
    {
        using var response = await _server.CognitoAsync("GetId", JsonSerializer.Serialize(new { IdentityPoolId = _poolId, Logins = logins }));
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityId").GetString()!;
    }
}
