using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IdentityBroker.Tests.Federation.Saml;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The identity providers of a user pool through the real server: the details each provider type requires, the
/// endpoints filled in for the public providers, the default username mapping, unique names and identifiers, and
/// Cognito's error names.
/// </summary>
[TestFixture]
public sealed class UserPoolIdentityProvidersApiTests
{
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<string> ErrorAsync(string operation, string json, string type)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsJsonErrorAsync(response, type);
    }

    private async Task<string> NewPoolAsync() =>
        (await CallAsync("CreateUserPool", """{"PoolName":"Federated"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;

    private static string Oidc(string pool, string name = "Corp", string identifiers = """["corp.example.com"]""") => $$"""
        {"UserPoolId":"{{pool}}","ProviderName":"{{name}}","ProviderType":"OIDC",
         "ProviderDetails":{"client_id":"app","client_secret":"s3cret","attributes_request_method":"GET",
                            "oidc_issuer":"https://idp.example.com","authorize_scopes":"openid email"},
         "AttributeMapping":{"email":"email"},"IdpIdentifiers":{{identifiers}}}
        """;

    [Test]
    public async Task An_OIDC_provider_is_created_described_found_by_identifier_updated_in_part_listed_and_deleted()
    {
        var pool = await NewPoolAsync();
        var created = (await CallAsync("CreateIdentityProvider", Oidc(pool))).GetProperty("IdentityProvider");
        var described = (await CallAsync("DescribeIdentityProvider", $$"""{"UserPoolId":"{{pool}}","ProviderName":"Corp"}""")).GetProperty("IdentityProvider");
        var byIdentifier = (await CallAsync("GetIdentityProviderByIdentifier", $$"""{"UserPoolId":"{{pool}}","IdpIdentifier":"corp.example.com"}"""))
            .GetProperty("IdentityProvider");
        var updated = (await CallAsync("UpdateIdentityProvider",
            $$"""{"UserPoolId":"{{pool}}","ProviderName":"Corp","IdpIdentifiers":["corp"]}""")).GetProperty("IdentityProvider");
        var listed = await CallAsync("ListIdentityProviders", $$"""{"UserPoolId":"{{pool}}","MaxResults":10}""");
        await CallAsync("DeleteIdentityProvider", $$"""{"UserPoolId":"{{pool}}","ProviderName":"Corp"}""");

        Assert.Multiple(async () =>
        {
            Assert.That(created.GetProperty("ProviderType").GetString(), Is.EqualTo("OIDC"));
            Assert.That(created.GetProperty("AttributeMapping").GetProperty("username").GetString(), Is.EqualTo("sub"),
                "Cognito maps username to the subject when the request leaves it out");
            Assert.That(created.GetProperty("AttributeMapping").GetProperty("email").GetString(), Is.EqualTo("email"));
            Assert.That(described.GetProperty("ProviderDetails").GetProperty("oidc_issuer").GetString(), Is.EqualTo("https://idp.example.com"));
            Assert.That(byIdentifier.GetProperty("ProviderName").GetString(), Is.EqualTo("Corp"));
            Assert.That(updated.GetProperty("IdpIdentifiers").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "corp" }));
            Assert.That(updated.GetProperty("ProviderDetails").GetProperty("client_id").GetString(), Is.EqualTo("app"), "details not given are kept");
            Assert.That(listed.GetProperty("Providers").EnumerateArray().Select(p => p.GetProperty("ProviderName").GetString()), Is.EqualTo(new[] { "Corp" }));
            await ErrorAsync("DescribeIdentityProvider", $$"""{"UserPoolId":"{{pool}}","ProviderName":"Corp"}""", "ResourceNotFoundException");
            await ErrorAsync("GetIdentityProviderByIdentifier", $$"""{"UserPoolId":"{{pool}}","IdpIdentifier":"corp"}""", "ResourceNotFoundException");
        });
    }

    [Test]
    public async Task A_Google_provider_gets_the_public_endpoints_and_is_named_by_its_type()
    {
        var pool = await NewPoolAsync();
        var google = (await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Google","ProviderType":"Google",
             "ProviderDetails":{"client_id":"g","client_secret":"gs","authorize_scopes":"openid email profile"} }
            """)).GetProperty("IdentityProvider");
        var misnamed = await ErrorAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"MyGoogle","ProviderType":"Google",
             "ProviderDetails":{"client_id":"g","client_secret":"gs","authorize_scopes":"openid"} }
            """, "InvalidParameterException");

        var details = google.GetProperty("ProviderDetails");
        Assert.Multiple(() =>
        {
            Assert.That(details.GetProperty("authorize_url").GetString(), Is.EqualTo("https://accounts.google.com/o/oauth2/v2/auth"));
            Assert.That(details.GetProperty("oidc_issuer").GetString(), Is.EqualTo("https://accounts.google.com"));
            Assert.That(details.GetProperty("token_url").GetString(), Does.StartWith("https://"));
            Assert.That(google.GetProperty("AttributeMapping").GetProperty("username").GetString(), Is.EqualTo("sub"));
            Assert.That(misnamed, Does.Contain("Google"));
        });
    }

    private static IEnumerable<TestCaseData> IncompleteDetails()
    {
        yield return new TestCaseData("Google", "Google", """{"client_id":"g","client_secret":"s"}""").SetName("Google without authorize_scopes");
        yield return new TestCaseData("Facebook", "Facebook", """{"client_id":"f","authorize_scopes":"public_profile"}""").SetName("Facebook without client_secret");
        yield return new TestCaseData("LoginWithAmazon", "LoginWithAmazon", """{"client_secret":"s","authorize_scopes":"profile"}""")
            .SetName("LoginWithAmazon without client_id");
        yield return new TestCaseData("SignInWithApple", "SignInWithApple", """{"client_id":"a","team_id":"t","key_id":"k","authorize_scopes":"email"}""")
            .SetName("SignInWithApple without private_key");
        yield return new TestCaseData("Corp", "OIDC", """{"client_id":"c","oidc_issuer":"https://idp.example.com","authorize_scopes":"openid"}""")
            .SetName("OIDC without attributes_request_method");
        yield return new TestCaseData("Corp", "OIDC",
            """{"client_id":"c","attributes_request_method":"PUT","oidc_issuer":"https://idp.example.com","authorize_scopes":"openid"}""")
            .SetName("OIDC with an attributes_request_method other than GET or POST");
        yield return new TestCaseData("Corp", "OIDC",
            """{"client_id":"c","attributes_request_method":"GET","oidc_issuer":"http://idp.example.com","authorize_scopes":"openid"}""")
            .SetName("OIDC with a plain http issuer off loopback");
        yield return new TestCaseData("Corp", "OIDC",
            """{"client_id":"c","attributes_request_method":"GET","oidc_issuer":"https://idp.example.com","authorize_scopes":"openid","token_url":"https://idp.example.com/t"}""")
            .SetName("OIDC with one endpoint but not the other three");
        yield return new TestCaseData("Corp", "OIDC",
            """{"client_id":"c","attributes_request_method":"GET","oidc_issuer":"https://idp.example.com","authorize_scopes":"openid","surprise":"x"}""")
            .SetName("OIDC with an unknown detail");
        yield return new TestCaseData("Corp", "SAML", """{"IDPInit":"true"}""").SetName("SAML without metadata");
        yield return new TestCaseData("Corp", "SAML", """{"MetadataURL":"https://idp.example.com/m","MetadataFile":"<x/>"}""")
            .SetName("SAML with both MetadataURL and MetadataFile");
        yield return new TestCaseData("Corp", "SAML", """{"MetadataFile":"<not-metadata/>"}""").SetName("SAML with a MetadataFile that is no metadata");
    }

    [TestCaseSource(nameof(IncompleteDetails))]
    public async Task Provider_details_Cognito_would_refuse_are_refused_with_InvalidParameterException(string name, string type, string details)
    {
        var pool = await NewPoolAsync();

        await ErrorAsync("CreateIdentityProvider",
            $$"""{"UserPoolId":"{{pool}}","ProviderName":"{{name}}","ProviderType":"{{type}}","ProviderDetails":{{details}}}""",
            "InvalidParameterException");

        await ErrorAsync("DescribeIdentityProvider", $$"""{"UserPoolId":"{{pool}}","ProviderName":"{{name}}"}""", "ResourceNotFoundException");
    }

    [Test]
    public async Task A_SAML_provider_with_a_metadata_file_is_kept_as_given()
    {
        var pool = await NewPoolAsync();
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=idp", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var metadata = JsonSerializer.Serialize(SamlResponseSpec.Metadata(Convert.ToBase64String(certificate.RawData)));

        var saml = (await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Okta","ProviderType":"SAML","ProviderDetails":{"MetadataFile":{{metadata}},"IDPInit":"true"} }
            """)).GetProperty("IdentityProvider");

        Assert.That(saml.GetProperty("ProviderDetails").GetProperty("IDPInit").GetString(), Is.EqualTo("true"));
        Assert.That(saml.GetProperty("AttributeMapping").GetProperty("username").GetString(),
            Is.EqualTo("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"));
    }

    [Test]
    public async Task Names_and_identifiers_are_unique_in_the_pool_and_mapped_attributes_must_exist()
    {
        var pool = await NewPoolAsync();
        await CallAsync("CreateIdentityProvider", Oidc(pool));

        Assert.Multiple(async () =>
        {
            await ErrorAsync("CreateIdentityProvider", Oidc(pool, identifiers: "[]"), "DuplicateProviderException");
            await ErrorAsync("CreateIdentityProvider", Oidc(pool, "Other"), "InvalidParameterException");
            await ErrorAsync("CreateIdentityProvider", Oidc(pool, "Other", """["a","a"]"""), "InvalidParameterException");
            await ErrorAsync("CreateIdentityProvider", Oidc(pool, "Cognito", "[]"), "InvalidParameterException");
            await ErrorAsync("UpdateIdentityProvider",
                $$"""{"UserPoolId":"{{pool}}","ProviderName":"Corp","AttributeMapping":{"custom:tier":"tier"} }""", "InvalidParameterException");
            await ErrorAsync("CreateIdentityProvider", Oidc("us-east-1_nopool123"), "ResourceNotFoundException");
        });
    }

    [Test]
    public async Task Names_and_identifiers_outside_the_model_are_a_validation_error()
    {
        var pool = await NewPoolAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await ErrorAsync("CreateIdentityProvider", Oidc(pool, "_Corp", "[]"), "ValidationException"), Does.Contain("providerName"));
            Assert.That(await ErrorAsync("CreateIdentityProvider", Oidc(pool, "Co rp", "[]"), "ValidationException"), Does.Contain("providerName"));
            Assert.That(await ErrorAsync("CreateIdentityProvider", Oidc(pool, "Corp", """["a/b"]"""), "ValidationException"), Does.Contain("idpIdentifiers"));
            Assert.That(await ErrorAsync("ListIdentityProviders", $$"""{"UserPoolId":"{{pool}}","MaxResults":61}""", "ValidationException"),
                Does.Contain("maxResults"));
        });
    }

    private static string SamlMetadataJson()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=idp", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return JsonSerializer.Serialize(SamlResponseSpec.Metadata(Convert.ToBase64String(certificate.RawData)));
    }

    [Test]
    public async Task GetSigningCertificate_returns_the_pools_own_base64_DER_certificate()
    {
        var pool = await NewPoolAsync();
        var other = await NewPoolAsync();

        var certificate = (await CallAsync("GetSigningCertificate", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("Certificate").GetString()!;
        var again = (await CallAsync("GetSigningCertificate", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("Certificate").GetString()!;
        var others = (await CallAsync("GetSigningCertificate", $$"""{"UserPoolId":"{{other}}"}""")).GetProperty("Certificate").GetString()!;

        using var parsed = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
        Assert.Multiple(async () =>
        {
            Assert.That(certificate, Does.Not.Contain("BEGIN"), "base64 DER, no PEM armour");
            Assert.That(parsed.GetRSAPublicKey(), Is.Not.Null);
            Assert.That(parsed.NotAfter, Is.GreaterThan(DateTime.UtcNow.AddYears(9)), "valid 10 years, as Cognito's");
            Assert.That(parsed.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
            Assert.That(again, Is.EqualTo(certificate));
            Assert.That(others, Is.Not.EqualTo(certificate), "each pool has its own");
            await ErrorAsync("GetSigningCertificate", """{"UserPoolId":"us-east-1_missing00"}""", "ResourceNotFoundException");
            await ErrorAsync("GetSigningCertificate", """{}""", "ValidationException");
        });
    }

    [Test]
    public async Task A_SAML_provider_with_EncryptedResponses_shows_the_pools_ActiveEncryptionCertificate_in_every_reply()
    {
        var pool = await NewPoolAsync();
        var metadata = SamlMetadataJson();
        var created = (await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Sealed","ProviderType":"SAML","ProviderDetails":{"MetadataFile":{{metadata}},"EncryptedResponses":"true"},
             "IdpIdentifiers":["sealed"]}
            """)).GetProperty("IdentityProvider");
        var plain = (await CallAsync("CreateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Plain","ProviderType":"SAML","ProviderDetails":{"MetadataFile":{{metadata}},"EncryptedResponses":"false"} }
            """)).GetProperty("IdentityProvider");
        var described = (await CallAsync("DescribeIdentityProvider", $$"""{"UserPoolId":"{{pool}}","ProviderName":"Sealed"}""")).GetProperty("IdentityProvider");
        var byIdentifier = (await CallAsync("GetIdentityProviderByIdentifier", $$"""{"UserPoolId":"{{pool}}","IdpIdentifier":"sealed"}"""))
            .GetProperty("IdentityProvider");
        var echoed = (await CallAsync("UpdateIdentityProvider", $$"""
            {"UserPoolId":"{{pool}}","ProviderName":"Sealed","ProviderDetails":{"MetadataFile":{{metadata}},"EncryptedResponses":"true","ActiveEncryptionCertificate":"c3RhbGU="} }
            """)).GetProperty("IdentityProvider");
        var signing = (await CallAsync("GetSigningCertificate", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("Certificate").GetString();

        var active = described.GetProperty("ProviderDetails").GetProperty("ActiveEncryptionCertificate").GetString()!;
        using var parsed = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(active));
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages, Is.EqualTo(X509KeyUsageFlags.KeyEncipherment));
            Assert.That(active, Is.Not.EqualTo(signing));
            Assert.That(created.GetProperty("ProviderDetails").GetProperty("ActiveEncryptionCertificate").GetString(), Is.EqualTo(active));
            Assert.That(byIdentifier.GetProperty("ProviderDetails").GetProperty("ActiveEncryptionCertificate").GetString(), Is.EqualTo(active));
            Assert.That(echoed.GetProperty("ProviderDetails").GetProperty("ActiveEncryptionCertificate").GetString(), Is.EqualTo(active),
                "a value sent back to Update is never stored over the pool's certificate");
            Assert.That(plain.GetProperty("ProviderDetails").TryGetProperty("ActiveEncryptionCertificate", out _), Is.False);
        });
    }
}
