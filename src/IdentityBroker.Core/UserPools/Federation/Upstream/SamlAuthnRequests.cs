using System.Globalization;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using IdentityBroker.Federation.Saml;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The SP-initiated leg of SAML sign-in into a user pool (Cognito developer guide, "SAML session initiation"): an
/// AuthnRequest from the pool's entity id <c>urn:amazon:cognito:sp:&lt;userPoolId&gt;</c>, asking for an HTTP-POST response
/// at the pool's ACS, sent by the HTTP-Redirect binding (SAML Bindings §3.4.4: DEFLATE, base64, URL-encoded) with the
/// sealed <see cref="FederationState"/> as RelayState. For a provider with <c>RequestSigningAlgorithm</c> <c>rsa-sha256</c>
/// the request is signed as that binding signs (SigAlg and Signature query parameters, §3.4.4.1) with the broker's SAML
/// signing key, whose certificate the SP metadata publishes. A LogoutRequest (SAML Core §3.7.1) goes the same way, always
/// signed (SAML Profiles §4.4.3.1 requires a logout request to be authenticated).
/// </summary>
public static class SamlAuthnRequests
{
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    /// <summary>The entity id (and audience) of a user pool as a SAML service provider, as Cognito names it.</summary>
    public static string EntityId(string userPoolId) => "urn:amazon:cognito:sp:" + userPoolId;

    /// <summary>A new AuthnRequest ID (an xsd:ID: it must not start with a digit).</summary>
    public static string NewRequestId() => "_" + Guid.NewGuid().ToString("N");

    /// <summary>The redirect URL to the IdP's SSO service; null when its metadata names no HTTP-Redirect SSO service.</summary>
    /// <param name="signer">The broker's signing certificate when the provider asks for signed requests; null: unsigned.</param>
    public static Uri? RedirectUrl(
        SamlMetadata idp, string userPoolId, string requestId, string acsUrl, string relayState, DateTimeOffset now, X509Certificate2? signer = null)
    {
        ArgumentNullException.ThrowIfNull(idp);
        if (idp.SingleSignOnRedirect is not { } sso)
        {
            return null;
        }

        var query = SamlRedirectBinding.Query("SAMLRequest", Xml(userPoolId, requestId, sso, acsUrl, now), relayState, signer);
        return new Uri(sso.AbsoluteUri + (string.IsNullOrEmpty(sso.Query) ? "?" : "&") + query);
    }

    /// <summary>
    /// The signed redirect to the IdP's SingleLogoutService with a LogoutRequest for <paramref name="nameId"/> (SAML Core
    /// §3.7.1); null when its metadata names no HTTP-Redirect SingleLogoutService.
    /// </summary>
    public static Uri? LogoutUrl(SamlMetadata idp, string userPoolId, string requestId, string nameId, string relayState, DateTimeOffset now, X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(idp);
        if (idp.SingleLogoutRedirect is not { } slo)
        {
            return null;
        }

        var xml = "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
            + " ID=\"" + Escape(requestId) + "\" Version=\"2.0\" IssueInstant=\"" + Instant(now) + "\" Destination=\"" + Escape(slo.AbsoluteUri) + "\">"
            + "<saml:Issuer>" + Escape(EntityId(userPoolId)) + "</saml:Issuer>"
            + "<saml:NameID>" + Escape(nameId) + "</saml:NameID></samlp:LogoutRequest>";
        var query = SamlRedirectBinding.Query("SAMLRequest", xml, relayState, signer);
        return new Uri(slo.AbsoluteUri + (string.IsNullOrEmpty(slo.Query) ? "?" : "&") + query);
    }

    private static string Instant(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Xml(string userPoolId, string requestId, Uri destination, string acsUrl, DateTimeOffset now) =>
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
        + " ID=\"" + Escape(requestId) + "\" Version=\"2.0\" IssueInstant=\""
        + now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "\" Destination=\"" + Escape(destination.AbsoluteUri)
        + "\" AssertionConsumerServiceURL=\"" + Escape(acsUrl) + "\" ProtocolBinding=\"" + PostBinding + "\">"
        + "<saml:Issuer>" + Escape(EntityId(userPoolId)) + "</saml:Issuer>"
        + "<samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified\" AllowCreate=\"true\"/></samlp:AuthnRequest>";

    private static string Escape(string value) => SecurityElement.Escape(value);
}
