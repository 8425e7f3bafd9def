using System.Globalization;
using System.Text;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>Which elements carry a signature template, and with which algorithms.</summary>
public enum SignedPart
{
    Assertion,
    Response,
    Both,
    None,
}

/// <summary>
/// One valid SAML response, described by its fields; each test changes one field (or the signed document) and expects
/// exactly that change to be refused.
/// </summary>
public sealed record SamlResponseSpec
{
    public const string EntityId = "https://idp.example.com/metadata";
    public const string ProviderArn = "arn:aws:iam::000000000000:saml-provider/CorpIdP";
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";

    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public string ResponseId { get; init; } = "_r" + Guid.NewGuid().ToString("N");

    public string AssertionId { get; init; } = "_a" + Guid.NewGuid().ToString("N");

    public string Issuer { get; init; } = EntityId;

    public string NameId { get; init; } = "alice@example.com";

    public string Audience { get; init; } = "urn:amazon:webservices";

    public string Recipient { get; init; } = "https://signin.aws.amazon.com/saml";

    /// <summary>The Response's Destination; null means the same as <see cref="Recipient"/>.</summary>
    public string? Destination { get; init; }

    public string Status { get; init; } = "urn:oasis:names:tc:SAML:2.0:status:Success";

    public DateTimeOffset NotBefore { get; init; } = Now.AddMinutes(-1);

    public DateTimeOffset NotOnOrAfter { get; init; } = Now.AddMinutes(5);

    public SignedPart Signed { get; init; } = SignedPart.Assertion;

    public bool Sha1 { get; init; }

    public string ExtraConditions { get; init; } = string.Empty;

    /// <summary>The AuthnStatement's SessionNotOnOrAfter attribute as written (a time or any text); null: none.</summary>
    public string? SessionNotOnOrAfter { get; init; }

    /// <summary>The AuthnStatement's SessionIndex; null: none.</summary>
    public string? SessionIndex { get; init; }

    private string SessionAttribute => (SessionNotOnOrAfter is null ? string.Empty : $" SessionNotOnOrAfter=\"{SessionNotOnOrAfter}\"")
        + (SessionIndex is null ? string.Empty : $" SessionIndex=\"{SessionIndex}\"");

    /// <summary>The AuthnRequest ID the response answers (Response and SubjectConfirmationData InResponseTo); null: unsolicited.</summary>
    public string? InResponseTo { get; init; }

    private string InResponseToAttribute => InResponseTo is null ? string.Empty : $" InResponseTo=\"{InResponseTo}\"";

    public string Template()
    {
        var responseSignature = Signed is SignedPart.Response ? SignatureTemplate(ResponseId) : string.Empty;
        var assertionSignature = Signed is SignedPart.Assertion or SignedPart.Both ? SignatureTemplate(AssertionId) : string.Empty;
        return $"""
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{ResponseId}" Version="2.0" IssueInstant="{Time(Now)}" Destination="{Destination ?? Recipient}"{InResponseToAttribute}>
              <saml:Issuer>{Issuer}</saml:Issuer>{responseSignature}
              <samlp:Status><samlp:StatusCode Value="{Status}"/></samlp:Status>
              {AssertionXml(assertionSignature)}
            </samlp:Response>
            """;
    }

    public string AssertionXml(string signature) => $"""
        <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{AssertionId}" Version="2.0" IssueInstant="{Time(Now)}">
            <saml:Issuer>{Issuer}</saml:Issuer>{signature}
            <saml:Subject>
              <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{NameId}</saml:NameID>
              <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
                <saml:SubjectConfirmationData Recipient="{Recipient}" NotOnOrAfter="{Time(NotOnOrAfter)}"{InResponseToAttribute}/>
              </saml:SubjectConfirmation>
            </saml:Subject>
            <saml:Conditions NotBefore="{Time(NotBefore)}" NotOnOrAfter="{Time(NotOnOrAfter)}">
              <saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction>{ExtraConditions}
            </saml:Conditions>
            <saml:AuthnStatement AuthnInstant="{Time(Now)}"{SessionAttribute}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
            <saml:AttributeStatement>
              <saml:Attribute Name="{RoleAttribute}">
                <saml:AttributeValue>arn:aws:iam::000000000000:role/Reader,{ProviderArn}</saml:AttributeValue>
                <saml:AttributeValue>arn:aws:iam::000000000000:role/Writer,{ProviderArn}</saml:AttributeValue>
              </saml:Attribute>
              <saml:Attribute Name="department"><saml:AttributeValue>finance</saml:AttributeValue></saml:Attribute>
            </saml:AttributeStatement>
          </saml:Assertion>
        """;

    public string SignatureTemplate(string id)
    {
        var method = Sha1 ? "http://www.w3.org/2000/09/xmldsig#rsa-sha1" : "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
        var digest = Sha1 ? "http://www.w3.org/2000/09/xmldsig#sha1" : "http://www.w3.org/2001/04/xmlenc#sha256";
        return $"""
            <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{method}"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>
            """;
    }

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string Base64(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

    /// <summary>IdP metadata naming <paramref name="certificateBase64"/> as its signing certificate.</summary>
    public static string Metadata(
        string certificateBase64, string entityId = EntityId, string? validUntil = null, string? singleLogout = null, string? singleLogoutPost = null) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entityId}"{(validUntil is null ? string.Empty : $" validUntil=\"{validUntil}\"")}>
          <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing">
              <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
            </md:KeyDescriptor>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>{(singleLogout is null ? string.Empty : $"<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"{singleLogout}\"/>")}{(singleLogoutPost is null ? string.Empty : $"<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"{singleLogoutPost}\"/>")}
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;
}
