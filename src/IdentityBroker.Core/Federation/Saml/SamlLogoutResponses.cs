using System.Xml;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// Checks the IdP's samlp:LogoutResponse to a LogoutRequest of the broker (SAML Core §3.7.2, the Single Logout profile,
/// SAML Profiles §4.4.4.2): signed by the IdP (by the HTTP-Redirect binding's query signature, already checked by the
/// caller, or by an enveloped signature of the LogoutResponse, HTTP-POST), issued by the IdP's entity id,
/// <c>InResponseTo</c> the broker's request, <c>Destination</c> the broker's logout endpoint (required of a signed message,
/// SAML Bindings §3.4.5.2, §3.5.5.2), and status Success or PartialLogout.
/// </summary>
public static class SamlLogoutResponses
{
    private const int MaxCharacters = 100_000;
    private const string PartialLogout = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";

    /// <param name="signedByBinding">The redirect binding's signature over the query was verified; else an enveloped signature is required.</param>
    /// <returns>Null when the response completes the sign-out; else why not (never quoting the response).</returns>
    public static string? Check(string xml, SamlMetadata idp, string inResponseTo, string destination, bool signedByBinding)
    {
        ArgumentNullException.ThrowIfNull(idp);
        var document = SafeXml.Load(xml, MaxCharacters, out var problem);
        var root = document?.DocumentElement;
        if (root is null)
        {
            return $"The SAML logout response could not be read: {problem}.";
        }

        if (root.LocalName != "LogoutResponse" || root.NamespaceURI != SamlNames.Protocol || root.GetAttribute("Version") != "2.0")
        {
            return "The message is not a SAML 2.0 LogoutResponse.";
        }

        if (!signedByBinding && EnvelopedSignature(document!, root, idp) is { } signature)
        {
            return signature;
        }

        return root.GetAttribute("InResponseTo") != inResponseTo ? "The LogoutResponse InResponseTo is not the request this sign-out sent."
            : root.GetAttribute("Destination") != destination ? "The LogoutResponse Destination is not this user pool's logout endpoint."
            : Issuer(root) != idp.EntityId ? "The LogoutResponse Issuer is not the SAML provider's entity id."
            : Status(root) is SamlNames.Success or PartialLogout ? null
            : "The SAML provider did not sign the user out (its LogoutResponse status is not Success).";
    }

    internal static string? EnvelopedSignature(XmlDocument document, XmlElement root, SamlMetadata idp)
    {
        var signatures = document.GetElementsByTagName("Signature", SamlNames.DSig);
        if (signatures.Count != 1 || SamlSignature.SignatureOf(root) is not { } signature)
        {
            return "The message must carry exactly one signature, on itself.";
        }

        var ids = document.GetElementsByTagName("*").OfType<XmlElement>().Select(e => e.GetAttribute("ID")).Where(id => id.Length > 0).ToList();
        return ids.Count != ids.Distinct(StringComparer.Ordinal).Count()
            ? "The same ID appears on more than one element."
            : SamlSignature.Verify(root, signature, idp.SigningCertificates, allowSha1: false);
    }

    private static string? Issuer(XmlElement root) =>
        SamlMetadata.Children(root, SamlNames.Assertion, "Issuer").SingleOrDefault()?.InnerText.Trim();

    private static string? Status(XmlElement root)
    {
        var status = SamlMetadata.Children(root, SamlNames.Protocol, "Status").SingleOrDefault();
        return status is null ? null : SamlMetadata.Children(status, SamlNames.Protocol, "StatusCode").SingleOrDefault()?.GetAttribute("Value");
    }
}
