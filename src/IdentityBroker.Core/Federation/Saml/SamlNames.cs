namespace IdentityBroker.Federation.Saml;

/// <summary>Namespaces and fixed values of SAML 2.0 and XML Signature used by the validator and the metadata reader.</summary>
internal static class SamlNames
{
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string DSig = "http://www.w3.org/2000/09/xmldsig#";
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string Bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    public const string EntityFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
}
