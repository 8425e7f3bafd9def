using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// Decrypts the one saml:EncryptedAssertion of a response (SAML Core §2.3.4, XML Encryption 1.1) with the broker's SAML
/// encryption keys, giving a document in which a plain saml:Assertion stands where it was; every structural, signature
/// and condition check then runs on that document as on any other response. Accepted: content AES-128/192/256 in GCM or
/// CBC mode; key transport RSA-OAEP (<c>rsa-oaep-mgf1p</c>, or XML Encryption 1.1 <c>rsa-oaep</c> whose digest and MGF1
/// hash agree). RSA PKCS#1 v1.5 key transport is refused (Bleichenbacher's attack). Every decryption failure has one and
/// the same reason, so the broker is no padding or format oracle for an attacker replaying altered ciphertexts.
/// </summary>
internal static class SamlEncryptedAssertion
{
    private const string XmlEnc = "http://www.w3.org/2001/04/xmlenc#";
    private const string XmlEnc11 = "http://www.w3.org/2009/xmlenc11#";
    private const int MaxEncryptedKeys = 4;
    private const string Undecryptable = "The encrypted assertion could not be decrypted with the user pool's SAML encryption keys.";

    /// <summary>The response holds an EncryptedAssertion anywhere.</summary>
    public static bool IsPresent(XmlDocument document) => document.GetElementsByTagName("EncryptedAssertion", SamlNames.Assertion).Count > 0;

    /// <returns>The response with its assertion decrypted in place (a new document), or why it cannot be.</returns>
    public static (XmlDocument? Document, string? Failure) Decrypt(XmlDocument document, IReadOnlyList<RSA> keys, long maxCharacters)
    {
        var root = document.DocumentElement;
        var encrypted = document.GetElementsByTagName("EncryptedAssertion", SamlNames.Assertion);
        if (root is null || encrypted.Count != 1 || encrypted[0]!.ParentNode != root
            || document.GetElementsByTagName("Assertion", SamlNames.Assertion).Count != 0)
        {
            return (null, "A response with an encrypted assertion must hold exactly one, as a direct child of the Response, and no plain assertion.");
        }

        var holder = (XmlElement)encrypted[0]!;
        var data = SamlMetadata.Children(holder, XmlEnc, "EncryptedData").ToList();
        if (data.Count != 1)
        {
            return (null, "The EncryptedAssertion must hold exactly one EncryptedData.");
        }

        var plain = DecryptData(holder, data[0], keys);
        if (plain is null)
        {
            return (null, Undecryptable);
        }

        var assertion = SafeXml.ReadElement(document, plain, Namespaces(holder), maxCharacters);
        if (assertion is null || assertion.LocalName != "Assertion" || assertion.NamespaceURI != SamlNames.Assertion)
        {
            return (null, Undecryptable);
        }

        root.ReplaceChild(assertion, holder);
        // Written out and read again, so the assertion is declared with its namespaces as the verifier reads any response.
        var reloaded = SafeXml.Load(document.OuterXml, maxCharacters, out var problem);
        return reloaded is null ? (null, $"The decrypted SAML response could not be read: {problem}.") : (reloaded, null);
    }

    private static string? DecryptData(XmlElement holder, XmlElement data, IReadOnlyList<RSA> keys)
    {
        var algorithm = Child(data, XmlEnc, "EncryptionMethod")?.GetAttribute("Algorithm");
        var (keySize, gcm) = algorithm switch
        {
            XmlEnc + "aes128-cbc" => (16, false),
            XmlEnc + "aes192-cbc" => (24, false),
            XmlEnc + "aes256-cbc" => (32, false),
            XmlEnc11 + "aes128-gcm" => (16, true),
            XmlEnc11 + "aes192-gcm" => (24, true),
            XmlEnc11 + "aes256-gcm" => (32, true),
            _ => (0, false),
        };
        var cipher = CipherValue(data);
        if (keySize == 0 || cipher is null)
        {
            return null;
        }

        // The EncryptedKey is in the EncryptedData's KeyInfo, or beside the EncryptedData in the EncryptedAssertion (§2.3.4).
        var keyInfo = Child(data, SamlNames.DSig, "KeyInfo");
        // At most a few: each try is an RSA decryption per broker key, and a response is untrusted until it verifies.
        var candidates = (keyInfo is null ? Enumerable.Empty<XmlElement>() : SamlMetadata.Children(keyInfo, XmlEnc, "EncryptedKey"))
            .Concat(SamlMetadata.Children(holder, XmlEnc, "EncryptedKey")).Take(MaxEncryptedKeys);
        foreach (var encryptedKey in candidates)
        {
            foreach (var key in keys)
            {
                var contentKey = UnwrapKey(encryptedKey, key);
                if (contentKey?.Length == keySize && Content(contentKey, cipher, gcm) is { } plain)
                {
                    return plain;
                }
            }
        }

        return null;
    }

    private static byte[]? UnwrapKey(XmlElement encryptedKey, RSA key)
    {
        var method = Child(encryptedKey, XmlEnc, "EncryptionMethod");
        var padding = method is null ? null : Padding(method);
        var cipher = CipherValue(encryptedKey);
        if (padding is null || cipher is null)
        {
            return null;
        }

        try
        {
            return key.Decrypt(cipher, padding);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The OAEP padding the EncryptionMethod names; null for anything else (PKCS#1 v1.5, OAEP labels, mixed hashes).</summary>
    private static RSAEncryptionPadding? Padding(XmlElement method)
    {
        if (Child(method, XmlEnc, "OAEPparams") is not null)
        {
            return null;
        }

        var digest = DigestOf(Child(method, SamlNames.DSig, "DigestMethod")?.GetAttribute("Algorithm"));
        switch (method.GetAttribute("Algorithm"))
        {
            case XmlEnc + "rsa-oaep-mgf1p":
                // XML Encryption §5.4.2: MGF1 with SHA-1 always; the digest is SHA-1 too in every IdP.
                return digest == HashAlgorithmName.SHA1 ? RSAEncryptionPadding.OaepSHA1 : null;
            case XmlEnc11 + "rsa-oaep":
                var mgf = Child(method, XmlEnc11, "MGF")?.GetAttribute("Algorithm") switch
                {
                    null or XmlEnc11 + "mgf1sha1" => HashAlgorithmName.SHA1,
                    XmlEnc11 + "mgf1sha256" => HashAlgorithmName.SHA256,
                    XmlEnc11 + "mgf1sha384" => HashAlgorithmName.SHA384,
                    XmlEnc11 + "mgf1sha512" => HashAlgorithmName.SHA512,
                    _ => (HashAlgorithmName?)null,
                };
                // .NET's OAEP uses one hash for the label digest and MGF1.
                return digest is { } d && mgf == d ? RSAEncryptionPadding.CreateOaep(d) : null;
            default:
                return null;
        }
    }

    private static HashAlgorithmName? DigestOf(string? algorithm) => algorithm switch
    {
        null or "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlgorithmName.SHA1,
        XmlEnc + "sha256" => HashAlgorithmName.SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => HashAlgorithmName.SHA384,
        XmlEnc + "sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>XML Encryption §5.2: CBC is IV (16 bytes) then ciphertext; GCM is IV (12 bytes), ciphertext, tag (16 bytes).</summary>
    private static string? Content(byte[] key, byte[] cipher, bool gcm)
    {
        try
        {
            byte[] plain;
            if (gcm)
            {
                if (cipher.Length < 12 + 16)
                {
                    return null;
                }

                plain = new byte[cipher.Length - 28];
                using var aesGcm = new AesGcm(key, 16);
                aesGcm.Decrypt(cipher.AsSpan(0, 12), cipher.AsSpan(12, plain.Length), cipher.AsSpan(cipher.Length - 16), plain);
            }
            else
            {
                if (cipher.Length < 32 || cipher.Length % 16 != 0)
                {
                    return null;
                }

                using var aes = Aes.Create();
                aes.Key = key;
                // XML Encryption's padding: the last byte is the count; the others are arbitrary (ISO 10126).
                plain = aes.DecryptCbc(cipher.AsSpan(16), cipher.AsSpan(0, 16), PaddingMode.ISO10126);
            }

            return new UTF8Encoding(false, true).GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[]? CipherValue(XmlElement element)
    {
        var value = Child(element, XmlEnc, "CipherData") is { } data ? Child(data, XmlEnc, "CipherValue") : null;
        if (value is null)
        {
            return null; // A CipherReference (a URI to fetch) is never followed.
        }

        try
        {
            return Convert.FromBase64String(string.Concat(value.InnerText.Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The namespace declarations in scope at the EncryptedAssertion, which the encrypted element may rely on.</summary>
    private static XmlNamespaceManager Namespaces(XmlElement holder)
    {
        var manager = new XmlNamespaceManager(holder.OwnerDocument.NameTable);
        var chain = new List<XmlElement>();
        for (var node = holder; node is not null; node = node.ParentNode as XmlElement)
        {
            chain.Insert(0, node);
        }

        foreach (var element in chain)
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                // The xml prefix is predeclared (and may not be redeclared in a namespace manager).
                if (attribute.NamespaceURI == "http://www.w3.org/2000/xmlns/" && !(attribute.Prefix == "xmlns" && attribute.LocalName == "xml"))
                {
                    manager.AddNamespace(attribute.Prefix == "xmlns" ? attribute.LocalName : string.Empty, attribute.Value);
                }
            }
        }

        return manager;
    }

    private static XmlElement? Child(XmlElement parent, string ns, string localName) =>
        SamlMetadata.Children(parent, ns, localName).FirstOrDefault();
}
