using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// The signed part of a SAML response: the Response element and its one Assertion, of which at least one carried a valid
/// signature. The Assertion here is the very element object that was verified (or that sits inside the verified Response);
/// every value the broker uses is read from it by walking its children, never by searching the document by name.
/// </summary>
/// <param name="SignatureValue">The verified signature's value, which identifies the signed content for replay records.</param>
internal sealed record VerifiedResponse(XmlElement Response, XmlElement Assertion, string SignatureValue);

/// <summary>
/// Structural checks that defeat XML signature wrapping (XSW) before and after the signature check: the root is a
/// samlp:Response, the document holds exactly one saml:Assertion and it is a direct child of the root, no
/// EncryptedAssertion, every ID unique, signatures only as direct children of the Response or the Assertion.
/// </summary>
internal static class SamlDocument
{
    private static readonly string[] IdAttributeNames = ["ID", "Id", "id"];

    /// <param name="responseVerifiedBeforeDecryption">
    /// The value of the Response's signature when <see cref="VerifyBeforeDecryption"/> verified it over the encrypted
    /// assertion: it then covers this assertion's ciphertext, and cannot be checked again over the plaintext.
    /// </param>
    /// <returns>The verified response, or the reason it is refused.</returns>
    public static (VerifiedResponse? Verified, string? Failure) Verify(
        XmlDocument document, IReadOnlyList<X509Certificate2> certificates, bool allowSha1, string? responseVerifiedBeforeDecryption = null)
    {
        if (CheckShape(document) is { } shape)
        {
            return (null, shape);
        }

        var response = document.DocumentElement!;
        var assertion = SamlMetadata.Children(response, SamlNames.Assertion, "Assertion").Single();
        var signed = new[] { response, assertion }.Select(e => (Element: e, Signature: SamlSignature.SignatureOf(e)))
            .Where(p => p.Signature is not null && !(p.Element == response && responseVerifiedBeforeDecryption is not null)).ToList();
        if (signed.Count == 0 && responseVerifiedBeforeDecryption is null)
        {
            return (null, "Neither the SAML response nor its assertion is signed.");
        }

        foreach (var (element, signature) in signed)
        {
            if (SamlSignature.Verify(element, signature!, certificates, allowSha1) is { } failure)
            {
                return (null, failure);
            }
        }

        var value = responseVerifiedBeforeDecryption ?? SignatureValue(signed[0].Signature!);
        return (new VerifiedResponse(response, assertion, value), null);
    }

    /// <summary>
    /// Before an EncryptedAssertion is decrypted: the root is a Response, IDs are unique, a signature appears only as the
    /// Response's one direct child, and when there is one it verifies (over the ciphertext, as the IdP signed it).
    /// </summary>
    /// <returns>The verified Response signature's value (null when the Response is unsigned), or the reason it is refused.</returns>
    public static (string? SignatureValue, string? Failure) VerifyBeforeDecryption(
        XmlDocument document, IReadOnlyList<X509Certificate2> certificates, bool allowSha1)
    {
        var root = document.DocumentElement;
        if (root is null || root.LocalName != "Response" || root.NamespaceURI != SamlNames.Protocol)
        {
            return (null, "The document is not a SAML 2.0 Response.");
        }

        if (CheckIds(document) is { } ids)
        {
            return (null, ids);
        }

        var signatures = document.GetElementsByTagName("Signature", SamlNames.DSig).OfType<XmlElement>().ToList();
        if (signatures.Any(s => s.ParentNode != root) || signatures.Count > 1)
        {
            return (null, "A signature appears outside the Response, or the Response carries more than one.");
        }

        if (signatures.Count == 0)
        {
            return (null, null);
        }

        return SamlSignature.Verify(root, signatures[0], certificates, allowSha1) is { } failure ? (null, failure) : (SignatureValue(signatures[0]), null);
    }

    private static string SignatureValue(XmlElement signature) =>
        signature.GetElementsByTagName("SignatureValue", SamlNames.DSig)[0]?.InnerText ?? string.Empty;

    private static string? CheckShape(XmlDocument document)
    {
        var root = document.DocumentElement;
        if (root is null || root.LocalName != "Response" || root.NamespaceURI != SamlNames.Protocol)
        {
            return "The document is not a SAML 2.0 Response.";
        }

        if (document.GetElementsByTagName("EncryptedAssertion", SamlNames.Assertion).Count > 0)
        {
            return "Encrypted assertions are not supported.";
        }

        // One assertion in the whole document, as a direct child of the Response: a second one anywhere (in Extensions,
        // Object, Advice, before or after the signed one) is how wrapping attacks smuggle unsigned data in.
        var assertions = document.GetElementsByTagName("Assertion", SamlNames.Assertion);
        if (assertions.Count != 1)
        {
            return assertions.Count == 0 ? "The SAML response has no assertion." : "The SAML response must contain exactly one assertion.";
        }

        if (assertions[0]!.ParentNode != root)
        {
            return "The assertion must be a direct child of the Response.";
        }

        return CheckIds(document) ?? CheckSignaturePositions(document, root, (XmlElement)assertions[0]!);
    }

    /// <summary>IDs unique across the document (and across the spellings SignedXml resolves), so a reference has one target.</summary>
    private static string? CheckIds(XmlDocument document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in document.GetElementsByTagName("*").OfType<XmlElement>())
        {
            foreach (var name in IdAttributeNames)
            {
                var attribute = element.GetAttributeNode(name);
                if (attribute is null)
                {
                    continue;
                }

                if (!IsNcName(attribute.Value))
                {
                    return "An ID attribute is not a valid XML name.";
                }

                if (!seen.Add(attribute.Value))
                {
                    return "The same ID appears on more than one element.";
                }
            }
        }

        return null;
    }

    private static string? CheckSignaturePositions(XmlDocument document, XmlElement response, XmlElement assertion)
    {
        foreach (var signature in document.GetElementsByTagName("Signature", SamlNames.DSig).OfType<XmlElement>())
        {
            if (signature.ParentNode != response && signature.ParentNode != assertion)
            {
                return "A signature appears outside the Response and Assertion elements.";
            }
        }

        return SamlMetadata.Children(response, SamlNames.DSig, "Signature").Count() > 1
            || SamlMetadata.Children(assertion, SamlNames.DSig, "Signature").Count() > 1
            ? "An element carries more than one signature."
            : null;
    }

    private static bool IsNcName(string value)
    {
        // VerifyNCName throws ArgumentException, not XmlException, on an empty string: ID="" used to escape as a 500.
        if (value.Length == 0)
        {
            return false;
        }

        try
        {
            XmlConvert.VerifyNCName(value);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
