using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// Verifies the enveloped XML signature of one element (a Response or an Assertion) with the IdP's metadata certificates,
/// under the SAML profile of XML Signature (SAML Core 5.4): one Reference whose URI is <c>#</c> + that element's ID,
/// only the enveloped-signature and exclusive c14n transforms, exclusive c14n for SignedInfo, RSA with SHA-2 (SHA-1 only
/// when explicitly allowed). The caller has already made IDs unique in the document, so the reference can resolve to no
/// element but this one.
/// </summary>
internal static class SamlSignature
{
    private static readonly string[] StrongSignatureMethods =
    [
        SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigRSASHA512Url,
    ];

    private static readonly string[] StrongDigestMethods =
    [
        SignedXml.XmlDsigSHA256Url, SignedXml.XmlDsigSHA384Url, SignedXml.XmlDsigSHA512Url,
    ];

    private static readonly string[] AllowedTransforms =
    [
        SignedXml.XmlDsigEnvelopedSignatureTransformUrl, SignedXml.XmlDsigExcC14NTransformUrl,
    ];

    /// <summary>The element's direct-child ds:Signature, or null when it has none.</summary>
    public static XmlElement? SignatureOf(XmlElement element) =>
        SamlMetadata.Children(element, SamlNames.DSig, "Signature").SingleOrDefault();

    /// <returns>Null when the signature is valid; else why it is not (never quoting the document).</returns>
    public static string? Verify(XmlElement element, XmlElement signature, IReadOnlyList<X509Certificate2> certificates, bool allowSha1)
    {
        var signedXml = new SignedXml(element);
        try
        {
            signedXml.LoadXml(signature);
        }
        catch (CryptographicException)
        {
            return "The signature is malformed.";
        }

        if (CheckProfile(signedXml.SignedInfo!, element.GetAttribute("ID"), allowSha1) is { } profile)
        {
            return profile;
        }

        foreach (var certificate in certificates)
        {
            using var key = certificate.GetRSAPublicKey();
            if (key is not null && CheckWith(signedXml, key))
            {
                return null;
            }
        }

        return "The signature does not verify with any signing certificate of the SAML provider's metadata.";
    }

    private static bool CheckWith(SignedXml signedXml, RSA key)
    {
        try
        {
            return signedXml.CheckSignature(key);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? CheckProfile(SignedInfo signedInfo, string id, bool allowSha1)
    {
        if (signedInfo.CanonicalizationMethod != SignedXml.XmlDsigExcC14NTransformUrl)
        {
            return "The signature must use exclusive canonicalization (without comments).";
        }

        if (!StrongSignatureMethods.Contains(signedInfo.SignatureMethod)
            && !(allowSha1 && signedInfo.SignatureMethod == SignedXml.XmlDsigRSASHA1Url))
        {
            return signedInfo.SignatureMethod == SignedXml.XmlDsigRSASHA1Url
                ? "SHA-1 signatures are not accepted."
                : "The signature algorithm is not accepted (RSA with SHA-256, SHA-384 or SHA-512).";
        }

        if (signedInfo.References.Count != 1 || signedInfo.References[0] is not Reference reference)
        {
            return "The signature must have exactly one reference.";
        }

        // SAML Core 5.4.2: the URI references the signed element's ID; an empty URI (whole document) is not accepted.
        if (id.Length == 0 || reference.Uri != "#" + id)
        {
            return "The signature does not reference the element that carries it.";
        }

        if (!StrongDigestMethods.Contains(reference.DigestMethod) && !(allowSha1 && reference.DigestMethod == SignedXml.XmlDsigSHA1Url))
        {
            return reference.DigestMethod == SignedXml.XmlDsigSHA1Url
                ? "SHA-1 digests are not accepted."
                : "The digest algorithm is not accepted (SHA-256, SHA-384 or SHA-512).";
        }

        // SAML Core 5.4.4: only enveloped-signature and exclusive c14n; anything else (XPath, XSLT, c14n with comments)
        // could make the signed bytes differ from the element the broker reads.
        foreach (Transform transform in reference.TransformChain)
        {
            if (!AllowedTransforms.Contains(transform.Algorithm))
            {
                return "The signature uses a transform other than enveloped-signature and exclusive c14n.";
            }
        }

        return null;
    }
}
