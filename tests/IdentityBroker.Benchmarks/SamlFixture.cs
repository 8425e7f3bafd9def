using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Benchmarks;

/// <summary>
/// A registered SAML provider (SQLite store in a temporary directory) whose metadata names a self-signed RSA-2048
/// certificate, one SAML 2.0 response with its Assertion signed by .NET's <see cref="SignedXml"/> (RSA-SHA256, exclusive
/// c14n, enveloped), and the broker's validator. The same response is validated on every call: the replay guard allows
/// reuse of an assertion by the same login within its validity (docs/saml.md), so each call still records/looks up the
/// assertion use in the store, as GetId then GetCredentialsForIdentity with one response do.
/// </summary>
internal sealed class SamlFixture : IDisposable
{
    public const string ProviderArn = "arn:aws:iam::000000000000:saml-provider/BenchIdP";
    private const string EntityId = "https://idp.bench.example/metadata";

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _directory = Directory.CreateTempSubdirectory("ib-bench-saml-").FullName;
    private readonly SqliteBrokerStore _store;

    public SamlFixture()
    {
        var request = new CertificateRequest("CN=idp.bench.example", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        _store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        var created = _store.TryCreateSamlProviderAsync(new SamlProvider
        {
            Arn = ProviderArn,
            Name = "BenchIdP",
            MetadataDocument = Metadata(Convert.ToBase64String(_certificate.RawData)),
            Uuid = "BENCHSAMLPROVIDER0000000001",
            CreateDate = now,
            ValidUntil = now.AddYears(1),
        }, CancellationToken.None).GetAwaiter().GetResult();
        if (!created)
        {
            throw new InvalidOperationException("The SAML provider was not created.");
        }

        var options = Options.Create(new BrokerOptions());
        Validator = new SamlLoginValidator(new SamlProviderDirectory(_store, TimeProvider.System), new SamlReplayGuard(_store), options, TimeProvider.System);
        Pool = new IdentityPool
        {
            IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000002",
            IdentityPoolName = "bench-saml",
            AllowUnauthenticatedIdentities = false,
            SamlProviderARNs = [ProviderArn],
        };
        Token = Convert.ToBase64String(Encoding.UTF8.GetBytes(SignedResponse(now)));
    }

    public SamlLoginValidator Validator { get; }

    /// <summary>The store the replay guard writes to (for the benchmark that isolates that write).</summary>
    public SqliteBrokerStore Store => _store;

    public IdentityPool Pool { get; }

    /// <summary>The base64 SAMLResponse, as a client puts it in Logins.</summary>
    public string Token { get; }

    /// <summary>Validates once (loads the provider's metadata and certificates, records the assertion) and returns the login.</summary>
    public ValidatedLogin Warm()
    {
        var result = Validator.ValidateAsync(Pool, ProviderArn, Token, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error!.Message);
    }

    public void Dispose()
    {
        _store.Dispose();
        _certificate.Dispose();
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A response whose Assertion carries an enveloped signature placed after its Issuer (SAML Core 2.3.3 order).</summary>
    private string SignedResponse(DateTimeOffset now)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(Response(now));
        var assertion = (XmlElement)document.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!;
        var signed = new SignedXml(document) { SigningKey = _key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + assertion.GetAttribute("ID")) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        signed.ComputeSignature();
        var issuer = assertion.GetElementsByTagName("Issuer", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!;
        assertion.InsertAfter(document.ImportNode(signed.GetXml(), deep: true), issuer);
        return document.OuterXml;
    }

    private static string Response(DateTimeOffset now)
    {
        static string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var recipient = SamlOptions.AmazonRecipient;
        var until = now.AddHours(6);
        return $"""
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{Guid.NewGuid():N}" Version="2.0" IssueInstant="{T(now)}" Destination="{recipient}">
              <saml:Issuer>{EntityId}</saml:Issuer>
              <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
              <saml:Assertion ID="_a{Guid.NewGuid():N}" Version="2.0" IssueInstant="{T(now)}">
                <saml:Issuer>{EntityId}</saml:Issuer>
                <saml:Subject>
                  <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice@example.com</saml:NameID>
                  <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
                    <saml:SubjectConfirmationData Recipient="{recipient}" NotOnOrAfter="{T(until)}"/>
                  </saml:SubjectConfirmation>
                </saml:Subject>
                <saml:Conditions NotBefore="{T(now.AddMinutes(-5))}" NotOnOrAfter="{T(until)}">
                  <saml:AudienceRestriction><saml:Audience>{SamlOptions.AmazonAudience}</saml:Audience></saml:AudienceRestriction>
                </saml:Conditions>
                <saml:AuthnStatement AuthnInstant="{T(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
                <saml:AttributeStatement>
                  <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">
                    <saml:AttributeValue>arn:aws:iam::000000000000:role/Reader,{ProviderArn}</saml:AttributeValue>
                    <saml:AttributeValue>arn:aws:iam::000000000000:role/Writer,{ProviderArn}</saml:AttributeValue>
                  </saml:Attribute>
                  <saml:Attribute Name="department"><saml:AttributeValue>finance</saml:AttributeValue></saml:Attribute>
                </saml:AttributeStatement>
              </saml:Assertion>
            </samlp:Response>
            """;
    }

    private static string Metadata(string certificateBase64) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{EntityId}">
          <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing">
              <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
            </md:KeyDescriptor>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.bench.example/sso"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;
}
