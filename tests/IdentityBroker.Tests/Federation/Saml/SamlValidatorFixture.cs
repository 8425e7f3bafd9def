using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>
/// Shared set-up for the SAML validator tests: a real SQLite store holding one SAML provider whose metadata names the
/// xmlsec1 signer's certificate, a pool listing it, the validator on a fake clock.
/// </summary>
public abstract class SamlValidatorFixture
{
    protected const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-saml-{Guid.NewGuid():N}");

    protected XmlSec1Signer Signer { get; private set; } = null!;

    protected XmlSec1Signer OtherSigner { get; private set; } = null!;

    protected SqliteBrokerStore Store { get; private set; } = null!;

    protected FakeTimeProvider Time { get; private set; } = null!;

    protected IdentityPool Pool { get; } = new()
    {
        IdentityPoolId = PoolId,
        IdentityPoolName = "saml",
        AllowUnauthenticatedIdentities = false,
        SamlProviderARNs = [SamlResponseSpec.ProviderArn],
    };

    [OneTimeSetUp]
    public void CreateSigners()
    {
        if (!XmlSec1Signer.IsAvailable)
        {
            Assert.Fail("xmlsec1 is not installed (apt-get install -y xmlsec1; test.sh installs it).");
        }

        Signer = new XmlSec1Signer();
        OtherSigner = new XmlSec1Signer("CN=attacker.example.com");
    }

    [OneTimeTearDown]
    public void DisposeSigners()
    {
        Signer?.Dispose();
        OtherSigner?.Dispose();
    }

    [SetUp]
    public async Task CreateStore()
    {
        Directory.CreateDirectory(_directory);
        Store = new SqliteBrokerStore(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"));
        Time = new FakeTimeProvider(SamlResponseSpec.Now);
        await Store.TryCreateSamlProviderAsync(new SamlProvider
        {
            Arn = SamlResponseSpec.ProviderArn,
            Name = "CorpIdP",
            MetadataDocument = SamlResponseSpec.Metadata(Signer.CertificateBase64),
            Uuid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            CreateDate = SamlResponseSpec.Now.AddDays(-1),
            ValidUntil = SamlResponseSpec.Now.AddYears(1),
        }, CancellationToken.None);
    }

    [TearDown]
    public void DisposeStore()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    protected SamlLoginValidator Validator(SamlOptions? options = null) => new(
        new SamlProviderDirectory(Store, Time),
        new SamlReplayGuard(Store),
        Options.Create(new BrokerOptions { Saml = options ?? new SamlOptions() }),
        Time);

    /// <summary>The response of <paramref name="spec"/>, signed by xmlsec1 (twice for <see cref="SignedPart.Both"/>).</summary>
    protected string SignedXml(SamlResponseSpec spec, XmlSec1Signer? signer = null)
    {
        signer ??= Signer;
        if (spec.Signed == SignedPart.None)
        {
            return spec.Template();
        }

        var signed = signer.Sign(spec.Template());
        if (spec.Signed != SignedPart.Both)
        {
            return signed;
        }

        // The Response's template goes after its Issuer, before the signed assertion; xmlsec1 signs the first template.
        var at = signed.IndexOf("</saml:Issuer>", StringComparison.Ordinal) + "</saml:Issuer>".Length;
        return signer.Sign(signed.Insert(at, spec.SignatureTemplate(spec.ResponseId)));
    }

    /// <summary>A template changed by the test (its first signature template signed as it stands), signed by xmlsec1.</summary>
    protected string SignedXml(string template, XmlSec1Signer? signer = null) => (signer ?? Signer).Sign(template);

    protected async Task<Result<ValidatedLogin>> ValidateAsync(string xml, SamlLoginValidator? validator = null, IdentityPool? pool = null) =>
        await (validator ?? Validator()).ValidateAsync(pool ?? Pool, SamlResponseSpec.ProviderArn, SamlResponseSpec.Base64(xml), CancellationToken.None);

    protected static void AssertRefused(Result<ValidatedLogin> result, string reasonFragment)
    {
        Assert.That(result.IsSuccess, Is.False, "the response was accepted");
        Assert.That(result.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(result.Error.Message, Does.StartWith("Invalid login token. "));
        Assert.That(result.Error.Message, Does.Contain(reasonFragment));
    }
}
