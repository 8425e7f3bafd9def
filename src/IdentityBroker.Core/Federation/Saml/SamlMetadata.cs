using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using IdentityBroker.Errors;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// What the broker takes from an IdP's SAML metadata (SAML Metadata 2.0): the EntityDescriptor's entityID, the signing
/// certificates of its IDPSSODescriptor (KeyDescriptor use="signing" or without use, §2.4.1.1) and validUntil.
/// </summary>
public sealed class SamlMetadata
{
    /// <summary>IAM's SAMLMetadataDocumentType maximum.</summary>
    public const int MaxLength = 10_000_000;

    private SamlMetadata(
        string entityId, IReadOnlyList<X509Certificate2> signingCertificates, DateTimeOffset? validUntil, Uri? singleSignOnRedirect = null, Uri? singleLogoutRedirect = null)
    {
        SingleSignOnRedirect = singleSignOnRedirect;
        SingleLogoutRedirect = singleLogoutRedirect;
        EntityId = entityId;
        SigningCertificates = signingCertificates;
        ValidUntil = validUntil;
    }

    public string EntityId { get; }

    public IReadOnlyList<X509Certificate2> SigningCertificates { get; }

    public DateTimeOffset? ValidUntil { get; }

    /// <summary>The IdP's SingleSignOnService for the HTTP-Redirect binding (SAML Metadata §2.4.3), where an AuthnRequest goes; null when it has none.</summary>
    public Uri? SingleSignOnRedirect { get; }

    /// <summary>The IdP's SingleLogoutService for the HTTP-Redirect binding (SAML Metadata §2.2.2), where a LogoutRequest goes; null when it has none.</summary>
    public Uri? SingleLogoutRedirect { get; }

    /// <summary>
    /// Where the broker's LogoutResponse to an IdP-initiated LogoutRequest goes by HTTP-Redirect: the redirect
    /// SingleLogoutService's ResponseLocation, else its Location (SAML Metadata §2.2.2); null when it has none.
    /// </summary>
    public Uri? SingleLogoutRedirectResponse { get; private init; }

    /// <summary>The same for the HTTP-POST SingleLogoutService; null when the IdP has none.</summary>
    public Uri? SingleLogoutPostResponse { get; private init; }

    /// <summary>Parses and checks a metadata document; a failure's message says what is wrong, for IAM's InvalidInput.</summary>
    public static Result<SamlMetadata> Parse(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var xml = SafeXml.Load(document, MaxLength, out var problem);
        if (xml?.DocumentElement is not { } root)
        {
            return Invalid(problem);
        }

        if (root.LocalName != "EntityDescriptor" || root.NamespaceURI != SamlNames.Metadata)
        {
            return Invalid("the root element must be an md:EntityDescriptor");
        }

        var entityId = root.GetAttribute("entityID");
        if (entityId.Length is 0 or > 1024)
        {
            return Invalid("the EntityDescriptor has no entityID (or one longer than 1024 characters)");
        }

        var idp = Children(root, SamlNames.Metadata, "IDPSSODescriptor").ToList();
        if (idp.Count != 1)
        {
            return Invalid("the EntityDescriptor must have exactly one IDPSSODescriptor");
        }

        if (!idp[0].GetAttribute("protocolSupportEnumeration").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(SamlNames.Protocol))
        {
            return Invalid("the IDPSSODescriptor does not declare SAML 2.0 protocol support");
        }

        var certificates = SigningCertificatesOf(idp[0]);
        if (!certificates.IsSuccess)
        {
            return certificates.Error!;
        }

        var validUntil = ReadValidUntil(root);
        return validUntil.IsSuccess ? new SamlMetadata(entityId, certificates.Value, validUntil.Value,
            RedirectService(idp[0], "SingleSignOnService"), RedirectService(idp[0], "SingleLogoutService"))
        {
            SingleLogoutRedirectResponse = Service(idp[0], "SingleLogoutService", RedirectBinding, "ResponseLocation")
                ?? RedirectService(idp[0], "SingleLogoutService"),
            SingleLogoutPostResponse = Service(idp[0], "SingleLogoutService", PostBinding, "ResponseLocation")
                ?? Service(idp[0], "SingleLogoutService", PostBinding, "Location"),
        } : validUntil.Error!;
    }

    private const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    private const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    private static Uri? RedirectService(XmlElement idp, string service) => Service(idp, service, RedirectBinding, "Location");

    private static Uri? Service(XmlElement idp, string service, string binding, string attribute) =>
        Children(idp, SamlNames.Metadata, service)
            .Where(s => s.GetAttribute("Binding") == binding)
            .Select(s => Uri.TryCreate(s.GetAttribute(attribute), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null)
            .FirstOrDefault(u => u is not null);

    private static Result<IReadOnlyList<X509Certificate2>> SigningCertificatesOf(XmlElement idp)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var descriptor in Children(idp, SamlNames.Metadata, "KeyDescriptor"))
        {
            var use = descriptor.GetAttribute("use");
            if (use.Length > 0 && use != "signing")
            {
                continue; // use="encryption" keys never verify signatures.
            }

            foreach (var keyInfo in Children(descriptor, SamlNames.DSig, "KeyInfo"))
            {
                foreach (var data in Children(keyInfo, SamlNames.DSig, "X509Data"))
                {
                    foreach (var cert in Children(data, SamlNames.DSig, "X509Certificate"))
                    {
                        var loaded = LoadCertificate(cert.InnerText);
                        if (loaded is null)
                        {
                            return Invalid("an X509Certificate of a signing KeyDescriptor is not a valid base64 DER certificate");
                        }

                        certificates.Add(loaded);
                    }
                }
            }
        }

        return certificates.Count == 0
            ? Invalid("the IDPSSODescriptor has no signing certificate (KeyDescriptor/KeyInfo/X509Data/X509Certificate)")
            : certificates;
    }

    private static X509Certificate2? LoadCertificate(string base64)
    {
        try
        {
            var der = Convert.FromBase64String(string.Concat(base64.Where(c => !char.IsWhiteSpace(c))));
            var certificate = X509CertificateLoader.LoadCertificate(der);
            return certificate.GetRSAPublicKey() is not null || certificate.GetECDsaPublicKey() is not null ? certificate : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static Result<DateTimeOffset?> ReadValidUntil(XmlElement root)
    {
        var text = root.GetAttribute("validUntil");
        if (text.Length == 0)
        {
            return Result<DateTimeOffset?>.Ok(null);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? Result<DateTimeOffset?>.Ok(value)
            : Invalid("the EntityDescriptor's validUntil is not an xs:dateTime");
    }

    internal static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == ns);

    private static AwsError Invalid(string reason) => new("InvalidInput", $"Could not parse metadata: {reason}.");
}
