using System.Xml;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>
/// One test per known attack on SAML responses: the XML signature wrapping variants (XSW1–8 as SAML Raider names them, and
/// the duplicated / moved / colliding-ID forms), DTDs and entity expansion, comment truncation of the NameID (the
/// CVE-2017-11427 family), several assertions, encrypted assertions. Each starts from a response xmlsec1 signed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SamlAttackTests : SamlValidatorFixture
{
    private const string P = "urn:oasis:names:tc:SAML:2.0:protocol";
    private const string A = "urn:oasis:names:tc:SAML:2.0:assertion";
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";

    [Test]
    public async Task XSW1_evil_response_with_the_signed_response_inside_its_signature_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec { Signed = SignedPart.Response }), doc =>
        {
            var original = doc.DocumentElement!;
            var evil = EvilCopy(original, newId: "_evilresponse");
            evil.RemoveChild(Child(evil, Ds, "Signature"));
            var signature = Child(original, Ds, "Signature");
            original.RemoveChild(signature);
            signature.AppendChild(original);
            evil.InsertAfter(signature, Child(evil, A, "Issuer"));
            doc.AppendChild(evil);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW2_evil_response_with_the_signed_response_as_a_detached_sibling_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec { Signed = SignedPart.Response }), doc =>
        {
            var original = doc.DocumentElement!;
            var evil = EvilCopy(original, newId: "_evilresponse");
            evil.RemoveChild(Child(evil, Ds, "Signature"));
            var signature = Child(original, Ds, "Signature");
            original.RemoveChild(signature);
            evil.InsertAfter(signature, Child(evil, A, "Issuer"));
            evil.InsertBefore(original, signature);
            doc.AppendChild(evil);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW3_evil_assertion_before_the_signed_one_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signed = Child(doc.DocumentElement!, A, "Assertion");
            var evil = EvilCopy(signed, newId: "_evilassertion");
            evil.RemoveChild(Child(evil, Ds, "Signature"));
            doc.DocumentElement!.InsertBefore(evil, signed);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW3_variant_a_duplicated_assertion_after_the_signed_one_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signed = Child(doc.DocumentElement!, A, "Assertion");
            var evil = EvilCopy(signed, newId: "_evilassertion");
            evil.RemoveChild(Child(evil, Ds, "Signature"));
            doc.DocumentElement!.InsertAfter(evil, signed);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW4_evil_assertion_wrapping_the_signed_one_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signed = Child(doc.DocumentElement!, A, "Assertion");
            var evil = EvilCopy(signed, newId: "_evilassertion");
            evil.RemoveChild(Child(evil, Ds, "Signature"));
            doc.DocumentElement!.ReplaceChild(evil, signed);
            evil.AppendChild(signed);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW5_evil_assertion_carrying_the_moved_signature_with_the_original_appended_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signed = Child(doc.DocumentElement!, A, "Assertion");
            var evil = EvilCopy(signed, newId: signed.GetAttribute("ID"));
            signed.RemoveChild(Child(signed, Ds, "Signature"));
            doc.DocumentElement!.ReplaceChild(evil, signed);
            doc.DocumentElement!.AppendChild(signed);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW6_signed_assertion_inside_the_evil_assertions_signature_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signed = Child(doc.DocumentElement!, A, "Assertion");
            var evil = EvilCopy(signed, newId: "_evilassertion");
            doc.DocumentElement!.ReplaceChild(evil, signed);
            signed.RemoveChild(Child(signed, Ds, "Signature"));
            Child(evil, Ds, "Signature").AppendChild(signed);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW7_signed_assertion_hidden_in_Extensions_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var response = doc.DocumentElement!;
            var signed = Child(response, A, "Assertion");
            var evil = EvilCopy(signed, newId: "_evilassertion");
            evil.RemoveChild(Child(evil, Ds, "Signature"));
            var extensions = doc.CreateElement("samlp", "Extensions", P);
            response.ReplaceChild(evil, signed);
            extensions.AppendChild(signed);
            response.InsertAfter(extensions, Child(response, A, "Issuer"));
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task XSW8_signed_assertion_hidden_in_a_signature_Object_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var signed = Child(doc.DocumentElement!, A, "Assertion");
            var evil = EvilCopy(signed, newId: signed.GetAttribute("ID"));
            doc.DocumentElement!.ReplaceChild(evil, signed);
            var signature = Child(signed, Ds, "Signature");
            signed.RemoveChild(signature);
            evil.ReplaceChild(signature, Child(evil, Ds, "Signature"));
            var obj = doc.CreateElement("ds", "Object", Ds);
            obj.AppendChild(signed);
            signature.AppendChild(obj);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task The_only_assertion_wrapped_in_Extensions_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var response = doc.DocumentElement!;
            var signed = Child(response, A, "Assertion");
            var extensions = doc.CreateElement("samlp", "Extensions", P);
            response.ReplaceChild(extensions, signed);
            extensions.AppendChild(signed);
        });
        AssertRefused(await ValidateAsync(xml), "direct child");
    }

    [Test]
    public async Task An_ID_collision_with_the_signed_assertion_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var response = doc.DocumentElement!;
            var id = Child(response, A, "Assertion").GetAttribute("ID");
            var extensions = doc.CreateElement("samlp", "Extensions", P);
            var decoy = doc.CreateElement("x", "Decoy", "urn:example:decoy");
            decoy.SetAttribute("id", id);
            extensions.AppendChild(decoy);
            response.InsertAfter(extensions, Child(response, A, "Issuer"));
        });
        AssertRefused(await ValidateAsync(xml), "same ID");
    }

    [Test]
    public async Task The_assertion_signature_moved_to_the_response_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var response = doc.DocumentElement!;
            var assertion = Child(response, A, "Assertion");
            var signature = Child(assertion, Ds, "Signature");
            assertion.RemoveChild(signature);
            response.InsertAfter(signature, Child(response, A, "Issuer"));
        });
        AssertRefused(await ValidateAsync(xml), "does not reference the element that carries it");
    }

    [Test]
    public async Task A_signature_anywhere_else_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
        {
            var response = doc.DocumentElement!;
            var signature = Child(Child(response, A, "Assertion"), Ds, "Signature");
            var extensions = doc.CreateElement("samlp", "Extensions", P);
            extensions.AppendChild(signature.CloneNode(deep: true));
            response.InsertAfter(extensions, Child(response, A, "Issuer"));
        });
        AssertRefused(await ValidateAsync(xml), "signature appears outside");
    }

    [Test]
    public async Task Two_assertions_each_signed_by_the_IdP_are_refused()
    {
        var first = SignedXml(new SamlResponseSpec());
        var second = SignedXml(new SamlResponseSpec { NameId = "bob@example.com" });
        var xml = Mutate(first, doc =>
        {
            var other = new XmlDocument { PreserveWhitespace = true };
            other.LoadXml(second);
            var imported = doc.ImportNode(Child(other.DocumentElement!, A, "Assertion"), deep: true);
            doc.DocumentElement!.AppendChild(imported);
        });
        AssertRefused(await ValidateAsync(xml), "exactly one assertion");
    }

    [Test]
    public async Task An_encrypted_assertion_is_refused()
    {
        var xml = Mutate(SignedXml(new SamlResponseSpec()), doc =>
            doc.DocumentElement!.AppendChild(doc.CreateElement("saml", "EncryptedAssertion", A)));
        AssertRefused(await ValidateAsync(xml), "Encrypted assertions");
    }

    [Test]
    public async Task A_DTD_with_entity_expansion_is_refused()
    {
        const string laughs = """
            <!DOCTYPE samlp:Response [
              <!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            ]>
            """;
        var signed = SignedXml(new SamlResponseSpec { NameId = "alice@example.com" });
        var xml = InsertDoctype(signed, laughs).Replace("alice@example.com</saml:NameID>", "&c;</saml:NameID>", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(xml), "DTD");
    }

    [Test]
    public async Task An_external_entity_is_refused()
    {
        var xml = InsertDoctype(SignedXml(new SamlResponseSpec()), """<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>""");
        AssertRefused(await ValidateAsync(xml), "DTD");
    }

    [Test]
    public async Task A_NameID_signed_with_a_comment_inside_is_read_whole()
    {
        var spec = new SamlResponseSpec { NameId = "admin@example.com<!-- comment -->.evil.org" };
        var result = await ValidateAsync(SignedXml(spec));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(result.Value.Subject, Is.EqualTo("admin@example.com.evil.org"));
    }

    [Test]
    public async Task A_comment_inserted_into_the_NameID_after_signing_cannot_truncate_it()
    {
        // Exclusive c14n drops comments, so the signature still verifies: the defence is reading every text node.
        var spec = new SamlResponseSpec { NameId = "admin@example.com.evil.org" };
        var xml = SignedXml(spec).Replace("admin@example.com.evil.org", "admin@example.com<!---->.evil.org", StringComparison.Ordinal);
        var result = await ValidateAsync(xml);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(result.Value.Subject, Is.EqualTo("admin@example.com.evil.org"));
    }

    private static string Mutate(string xml, Action<XmlDocument> change)
    {
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.LoadXml(xml);
        change(doc);
        return doc.OuterXml;
    }

    /// <summary>A copy of a signed element claiming another user: what a wrapping attacker wants the broker to read.</summary>
    private static XmlElement EvilCopy(XmlElement element, string newId)
    {
        var copy = (XmlElement)element.CloneNode(deep: true);
        copy.SetAttribute("ID", newId);
        foreach (var nameId in copy.GetElementsByTagName("NameID", A).OfType<XmlElement>())
        {
            nameId.InnerText = "admin@example.com";
        }

        return copy;
    }

    private static XmlElement Child(XmlElement parent, string ns, string name) =>
        parent.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == name && e.NamespaceURI == ns);

    private static string InsertDoctype(string xml, string doctype)
    {
        var at = xml.StartsWith("<?xml", StringComparison.Ordinal) ? xml.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        return xml.Insert(at, "\n" + doctype + "\n");
    }
}
