using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using IdentityBroker.Federation.Saml;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The SP-initiated leg of SAML sign-in into a user pool (Cognito developer guide, "SAML session initiation"): an
/// AuthnRequest from the pool's entity id <c>urn:amazon:cognito:sp:&lt;userPoolId&gt;</c>, asking for an HTTP-POST response
/// at the pool's ACS, sent by the HTTP-Redirect binding (SAML Bindings §3.4.4: DEFLATE, base64, URL-encoded) with the
/// sealed <see cref="FederationState"/> as RelayState.
/// </summary>
public static class SamlAuthnRequests
{
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    /// <summary>The entity id (and audience) of a user pool as a SAML service provider, as Cognito names it.</summary>
    public static string EntityId(string userPoolId) => "urn:amazon:cognito:sp:" + userPoolId;

    /// <summary>A new AuthnRequest ID (an xsd:ID: it must not start with a digit).</summary>
    public static string NewRequestId() => "_" + Guid.NewGuid().ToString("N");

    /// <summary>The redirect URL to the IdP's SSO service; null when its metadata names no HTTP-Redirect SSO service.</summary>
    public static Uri? RedirectUrl(SamlMetadata idp, string userPoolId, string requestId, string acsUrl, string relayState, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(idp);
        if (idp.SingleSignOnRedirect is not { } sso)
        {
            return null;
        }

        var xml = Xml(userPoolId, requestId, sso, acsUrl, now);
        var query = "SAMLRequest=" + Uri.EscapeDataString(Deflate(xml)) + "&RelayState=" + Uri.EscapeDataString(relayState);
        return new Uri(sso.AbsoluteUri + (string.IsNullOrEmpty(sso.Query) ? "?" : "&") + query);
    }

    private static string Xml(string userPoolId, string requestId, Uri destination, string acsUrl, DateTimeOffset now) =>
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
        + " ID=\"" + Escape(requestId) + "\" Version=\"2.0\" IssueInstant=\""
        + now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "\" Destination=\"" + Escape(destination.AbsoluteUri)
        + "\" AssertionConsumerServiceURL=\"" + Escape(acsUrl) + "\" ProtocolBinding=\"" + PostBinding + "\">"
        + "<saml:Issuer>" + Escape(EntityId(userPoolId)) + "</saml:Issuer>"
        + "<samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified\" AllowCreate=\"true\"/></samlp:AuthnRequest>";

    private static string Escape(string value) => SecurityElement.Escape(value);

    private static string Deflate(string xml)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
