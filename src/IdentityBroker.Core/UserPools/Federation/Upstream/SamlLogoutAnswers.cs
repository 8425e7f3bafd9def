using System.Globalization;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The pool's samlp:LogoutResponse to an IdP-initiated LogoutRequest (SAML Core §3.7.2, SAML Profiles §4.4.3.4), always
/// signed with the pool's SAML signing key (§4.4.4.2 requires the response to be authenticated): by the HTTP-Redirect
/// binding's query signature, or, for HTTP-POST, by an enveloped XML signature of the response (RSA-SHA256, SHA-256
/// digest, exclusive c14n, the Reference <c>#</c> + its ID, as SAML Core §5.4 profiles it).
/// </summary>
public static class SamlLogoutAnswers
{
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string Requester = "urn:oasis:names:tc:SAML:2.0:status:Requester";
    public const string UnknownPrincipal = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal";

    /// <summary>The redirect to the IdP's logout service with the signed response in the query.</summary>
    public static Uri Redirect(Uri destination, string userPoolId, string inResponseTo, string status, string? relayState, DateTimeOffset now, X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var query = SamlRedirectBinding.Query("SAMLResponse", Xml(destination, userPoolId, inResponseTo, status, now, out _), relayState, signer);
        return new Uri(destination.AbsoluteUri + (string.IsNullOrEmpty(destination.Query) ? "?" : "&") + query);
    }

    /// <summary>The base64 SAMLResponse form value for the HTTP-POST binding: the response with its enveloped signature.</summary>
    public static string Posted(Uri destination, string userPoolId, string inResponseTo, string status, DateTimeOffset now, X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(signer);
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(Xml(destination, userPoolId, inResponseTo, status, now, out var id));
        using var key = signer.GetRSAPrivateKey() ?? throw new InvalidOperationException("The SAML signing certificate has no RSA private key.");
        var signed = new SignedXml(document) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + id) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(signer));
        signed.KeyInfo = keyInfo;
        signed.ComputeSignature();
        // The schema's order: Issuer, then Signature, then Status (SAML Core §3.2.2).
        var issuer = document.DocumentElement!.FirstChild!;
        document.DocumentElement.InsertAfter(document.ImportNode(signed.GetXml(), deep: true), issuer);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));
    }

    private static string Xml(Uri destination, string userPoolId, string inResponseTo, string status, DateTimeOffset now, out string id)
    {
        id = SamlAuthnRequests.NewRequestId();
        var code = status == UnknownPrincipal
            ? "<samlp:StatusCode Value=\"" + Requester + "\"><samlp:StatusCode Value=\"" + UnknownPrincipal + "\"/></samlp:StatusCode>"
            : "<samlp:StatusCode Value=\"" + Escape(status) + "\"/>";
        return "<samlp:LogoutResponse xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
            + " ID=\"" + id + "\" Version=\"2.0\" IssueInstant=\"" + now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
            + "\" Destination=\"" + Escape(destination.AbsoluteUri) + "\" InResponseTo=\"" + Escape(inResponseTo) + "\">"
            + "<saml:Issuer>" + Escape(SamlAuthnRequests.EntityId(userPoolId)) + "</saml:Issuer>"
            + "<samlp:Status>" + code + "</samlp:Status></samlp:LogoutResponse>";
    }

    private static string Escape(string value) => SecurityElement.Escape(value);
}
