using System.Text.RegularExpressions;
using System.Xml;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>
/// Issue 17's hostile-input catalogue for SAML responses (docs/hostile-input.md), beyond SamlAttackTests' wrapping
/// attacks: keys, canonicalization, transforms, references, signature methods, timing and structure. Every response is
/// signed for real by xmlsec1 as the attacker (or a careless IdP) would send it, so each refusal is the broker's rule,
/// not a broken signature; where a case removes a signed part, the reason asserted is the rule's own.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SamlHostileInputTests : SamlValidatorFixture
{
    private const string ExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    private const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";

    [Test]
    public async Task An_attacker_certificate_in_KeyInfo_is_not_trusted()
    {
        var keyInfo = $"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{OtherSigner.CertificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>";
        var forged = WithKeyInfo(SignedXml(new SamlResponseSpec(), OtherSigner), keyInfo);
        AssertRefused(await ValidateAsync(forged), "does not verify with any signing certificate");

        // KeyInfo is ignored, not refused: the IdP's own signature next to the attacker's certificate still verifies.
        var genuine = WithKeyInfo(SignedXml(new SamlResponseSpec()), keyInfo);
        Assert.That((await ValidateAsync(genuine)).IsSuccess, Is.True);
    }

    [TestCase("http://www.w3.org/TR/2001/REC-xml-c14n-20010315", TestName = "Inclusive c14n for SignedInfo is refused")]
    [TestCase("http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments", TestName = "Inclusive c14n with comments for SignedInfo is refused")]
    [TestCase("http://www.w3.org/2001/10/xml-exc-c14n#WithComments", TestName = "Exclusive c14n with comments for SignedInfo is refused")]
    [TestCase("http://www.w3.org/2006/12/xml-c14n11", TestName = "C14n 1.1 for SignedInfo is refused")]
    public async Task Canonicalization_other_than_exclusive_is_refused(string algorithm)
    {
        var template = new SamlResponseSpec().Template().Replace(
            $"<ds:CanonicalizationMethod Algorithm=\"{ExcC14n}\"/>", $"<ds:CanonicalizationMethod Algorithm=\"{algorithm}\"/>", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "exclusive canonicalization");
    }

    [TestCase("<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#WithComments\"/>", TestName = "Exclusive c14n with comments as a transform is refused")]
    [TestCase("<ds:Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>", TestName = "Inclusive c14n as a transform is refused")]
    [TestCase("<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>", TestName = "XPath transform is refused")]
    [TestCase("<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"><xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"><xsl:template match=\"/\"><xsl:copy-of select=\".\"/></xsl:template></xsl:stylesheet></ds:Transform>", TestName = "XSLT transform is refused")]
    public async Task Transform_other_than_enveloped_and_exclusive_c14n_is_refused(string transform)
    {
        var template = new SamlResponseSpec().Template().Replace(
            $"<ds:Transform Algorithm=\"{ExcC14n}\"/>", transform, StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(Sign(template)), "transform other than");
    }

    [Test]
    public async Task A_signature_with_no_reference_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var reference = (XmlElement)doc.GetElementsByTagName("Reference", Ds)[0]!;
            reference.ParentNode!.RemoveChild(reference);
        });
        var result = await ValidateAsync(xml);
        Assert.That(result.IsSuccess, Is.False, "a signature with no reference was accepted");
        Assert.That(result.Error!.Message, Does.Contain("malformed").Or.Contain("exactly one reference"));
    }

    [Test]
    public async Task A_signature_with_two_references_is_refused()
    {
        var spec = new SamlResponseSpec();
        var reference = Regex.Match(spec.Template(), "<ds:Reference .*?</ds:Reference>").Value;
        var template = spec.Template().Replace(reference, reference + reference, StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "exactly one reference");
    }

    [Test]
    public async Task A_reference_to_the_whole_document_is_refused()
    {
        var spec = new SamlResponseSpec();
        var template = spec.Template().Replace($"URI=\"#{spec.AssertionId}\"", "URI=\"\"", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "does not reference the element that carries it");
    }

    [TestCase("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256")]
    [TestCase("http://www.w3.org/2000/09/xmldsig#hmac-sha1")]
    public async Task An_HMAC_signature_is_refused(string method)
    {
        // The classic key confusion: the IdP's public certificate, which anyone can read in its metadata, as the HMAC key.
        var template = new SamlResponseSpec().Template().Replace(RsaSha256, method, StringComparison.Ordinal);
        var xml = Signer.SignWithHmac(template, Convert.FromBase64String(Signer.CertificateBase64));
        AssertRefused(await ValidateAsync(xml), "signature algorithm is not accepted");
    }

    [Test]
    public async Task An_MD5_digest_is_refused()
    {
        var template = new SamlResponseSpec().Template().Replace(Sha256, "http://www.w3.org/2001/04/xmldsig-more#md5", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "digest algorithm is not accepted");
    }

    [Test]
    public async Task A_SHA1_digest_under_an_RSA_SHA256_signature_is_refused()
    {
        var template = new SamlResponseSpec().Template().Replace(Sha256, "http://www.w3.org/2000/09/xmldsig#sha1", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "SHA-1 digests are not accepted");
    }

    [Test]
    public async Task Two_signatures_on_one_element_are_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signature = (XmlElement)doc.GetElementsByTagName("Signature", Ds)[0]!;
            signature.ParentNode!.InsertAfter(signature.CloneNode(deep: true), signature);
        });
        AssertRefused(await ValidateAsync(xml), "more than one signature");
    }

    [Test]
    public async Task SubjectConfirmationData_expired_while_Conditions_are_valid_is_refused()
    {
        var spec = new SamlResponseSpec();
        var template = ReplaceConfirmationData(spec, $"Recipient=\"{spec.Recipient}\" NotOnOrAfter=\"{SamlResponseSpec.Time(SamlResponseSpec.Now.AddMinutes(-10))}\"");
        AssertRefused(await ValidateAsync(SignedXml(template)), "expired (SubjectConfirmationData NotOnOrAfter)");
    }

    [Test]
    public async Task SubjectConfirmationData_without_NotOnOrAfter_is_refused()
    {
        var spec = new SamlResponseSpec();
        AssertRefused(await ValidateAsync(SignedXml(ReplaceConfirmationData(spec, $"Recipient=\"{spec.Recipient}\""))), "no valid NotOnOrAfter");
    }

    [Test]
    public async Task An_assertion_without_Conditions_is_refused()
    {
        var template = Regex.Replace(new SamlResponseSpec().Template(), "<saml:Conditions .*?</saml:Conditions>", string.Empty, RegexOptions.Singleline);
        AssertRefused(await ValidateAsync(SignedXml(template)), "exactly one Conditions");
    }

    [Test]
    public async Task Conditions_without_an_AudienceRestriction_are_refused()
    {
        var template = Regex.Replace(new SamlResponseSpec().Template(), "<saml:AudienceRestriction>.*?</saml:AudienceRestriction>", string.Empty, RegexOptions.Singleline);
        AssertRefused(await ValidateAsync(SignedXml(template)), "no AudienceRestriction");
    }

    [TestCase("urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")]
    [TestCase("urn:oasis:names:tc:SAML:2.0:cm:sender-vouches")]
    [TestCase("urn:oasis:names:tc:SAML:2.0:cm:Bearer")]
    public async Task A_confirmation_method_other_than_bearer_is_refused(string method)
    {
        var template = new SamlResponseSpec().Template().Replace("urn:oasis:names:tc:SAML:2.0:cm:bearer", method, StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "no bearer SubjectConfirmation");
    }

    [TestCase(SignedPart.Assertion)]
    [TestCase(SignedPart.Response)]
    public async Task A_Response_Issuer_other_than_the_Assertion_Issuer_is_refused(SignedPart signed)
    {
        var spec = new SamlResponseSpec { Signed = signed };
        var template = spec.Template();
        var first = template.IndexOf($"<saml:Issuer>{spec.Issuer}</saml:Issuer>", StringComparison.Ordinal);
        template = template[..first] + "<saml:Issuer>https://other-idp.example.com/metadata</saml:Issuer>"
            + template[(first + $"<saml:Issuer>{spec.Issuer}</saml:Issuer>".Length)..];
        AssertRefused(await ValidateAsync(SignedXml(template)), "Issuer is not the SAML provider's entityID");
    }

    [TestCase("Response", "1.1", "response is not SAML version 2.0")]
    [TestCase("Response", "2.1", "response is not SAML version 2.0")]
    [TestCase("Assertion", "1.0", "assertion is not SAML version 2.0")]
    [TestCase("Assertion", "", "assertion is not SAML version 2.0")]
    public async Task A_version_other_than_2_0_is_refused(string element, string version, string reason)
    {
        var spec = new SamlResponseSpec();
        var id = element == "Response" ? spec.ResponseId : spec.AssertionId;
        var template = spec.Template().Replace($"ID=\"{id}\" Version=\"2.0\"", $"ID=\"{id}\" Version=\"{version}\"", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), reason);
    }

    [TestCase("1starts-with-a-digit")]
    [TestCase("has space")]
    [TestCase("has:colon")]
    public async Task An_ID_that_is_not_an_xml_name_is_refused(string id)
    {
        var spec = new SamlResponseSpec { AssertionId = id };
        AssertRefused(await ValidateAsync(Sign(spec.Template())), "not a valid XML name");
    }

    [Test]
    public async Task An_empty_ID_is_refused()
    {
        var spec = new SamlResponseSpec { Signed = SignedPart.Response };
        var template = spec.Template().Replace($"ID=\"{spec.AssertionId}\"", "ID=\"\"", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(SignedXml(template)), "not a valid XML name");
    }

    [TestCase("", TestName = "An empty NameID is refused")]
    [TestCase("   ", TestName = "A blank NameID is refused")]
    [TestCase("LONG", TestName = "A NameID over 1024 characters is refused")]
    public async Task A_NameID_empty_or_oversized_is_refused(string nameId)
    {
        var spec = new SamlResponseSpec { NameId = nameId == "LONG" ? new string('n', 1025) + "@example.com" : nameId };
        AssertRefused(await ValidateAsync(SignedXml(spec)), "NameID is empty or longer than 1024 characters");
    }

    [Test]
    public async Task A_NameID_of_1024_characters_is_accepted()
    {
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { NameId = new string('n', 1024) }));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
    }

    [Test]
    public async Task An_encrypted_NameID_is_refused()
    {
        var template = Regex.Replace(new SamlResponseSpec().Template(), "<saml:NameID .*?</saml:NameID>",
            "<saml:EncryptedID><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" Type=\"http://www.w3.org/2001/04/xmlenc#Element\"><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedID>",
            RegexOptions.Singleline);
        AssertRefused(await ValidateAsync(SignedXml(template)), "Encrypted NameIDs are not supported");
    }

    /// <summary>Signs a template whose transforms or IDs xmlsec1 may refuse to sign; then the signature stays empty, as an attacker could send it.</summary>
    private string Sign(string template)
    {
        try
        {
            return SignedXml(template);
        }
        catch (InvalidOperationException)
        {
            return template;
        }
    }

    private static string WithKeyInfo(string signed, string keyInfo)
    {
        var end = signed.IndexOf("</ds:SignatureValue>", StringComparison.Ordinal) + "</ds:SignatureValue>".Length;
        return signed.Insert(end, keyInfo);
    }

    private static string ReplaceConfirmationData(SamlResponseSpec spec, string attributes) =>
        Regex.Replace(spec.Template(), "<saml:SubjectConfirmationData [^>]*/>", $"<saml:SubjectConfirmationData {attributes}/>");

    private static string Mutate(string xml, Action<XmlDocument> change)
    {
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.LoadXml(xml);
        change(doc);
        return doc.OuterXml;
    }
}
