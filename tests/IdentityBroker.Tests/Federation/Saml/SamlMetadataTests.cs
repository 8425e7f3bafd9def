using IdentityBroker.Federation.Saml;

namespace IdentityBroker.Tests.Federation.Saml;

[TestFixture]
public sealed class SamlMetadataTests
{
    private static XmlSec1Signer? _signer;

    private static string Certificate => (_signer ??= new XmlSec1Signer()).CertificateBase64;

    [OneTimeTearDown]
    public void Dispose() => _signer?.Dispose();

    [Test]
    public void Valid_metadata_yields_the_entityID_the_signing_certificate_and_validUntil()
    {
        var parsed = SamlMetadata.Parse(SamlResponseSpec.Metadata(Certificate, validUntil: "2030-01-01T00:00:00Z"));
        Assert.That(parsed.IsSuccess, Is.True, parsed.Error?.Message);
        Assert.That(parsed.Value.EntityId, Is.EqualTo(SamlResponseSpec.EntityId));
        Assert.That(parsed.Value.SigningCertificates, Has.Count.EqualTo(1));
        Assert.That(parsed.Value.ValidUntil, Is.EqualTo(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("<not-xml", "not well-formed")]
    [TestCase("<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>", "EntityDescriptor")]
    [TestCase("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>", "entityID")]
    [TestCase("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"/>", "IDPSSODescriptor")]
    public void Malformed_metadata_is_refused_with_a_clear_reason(string document, string reason)
    {
        var parsed = SamlMetadata.Parse(document);
        Assert.That(parsed.IsSuccess, Is.False);
        Assert.That(parsed.Error!.Type, Is.EqualTo("InvalidInput"));
        Assert.That(parsed.Error.Message, Does.StartWith("Could not parse metadata: ").And.Contain(reason));
    }

    [Test]
    public void Metadata_without_a_signing_certificate_is_refused()
    {
        var document = SamlResponseSpec.Metadata(Certificate).Replace("use=\"signing\"", "use=\"encryption\"", StringComparison.Ordinal);
        Assert.That(SamlMetadata.Parse(document).Error!.Message, Does.Contain("no signing certificate"));
    }

    [Test]
    public void A_certificate_that_is_not_DER_is_refused()
    {
        var document = SamlResponseSpec.Metadata("bm90IGEgY2VydGlmaWNhdGU=");
        Assert.That(SamlMetadata.Parse(document).Error!.Message, Does.Contain("not a valid base64 DER certificate"));
    }

    [Test]
    public void Metadata_with_a_DTD_is_refused()
    {
        var document = SamlResponseSpec.Metadata(Certificate).Replace("<md:EntityDescriptor", "<!DOCTYPE x [<!ENTITY e \"e\">]><md:EntityDescriptor", StringComparison.Ordinal);
        Assert.That(SamlMetadata.Parse(document).Error!.Message, Does.Contain("DTD"));
    }
}
