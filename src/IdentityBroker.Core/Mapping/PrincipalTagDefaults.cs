namespace IdentityBroker.Mapping;

/// <summary>
/// Cognito's default principal-tag maps per provider (Amazon Cognito Developer Guide, "Default provider mappings"): tag key →
/// claim. User pools, Google, Apple and generic OIDC: <c>client</c> = aud, <c>username</c> = sub; Facebook: <c>app_id</c> =
/// aud, <c>user_id</c> = sub; Login with Amazon: <c>client</c> = aud, <c>username</c> = user_id; SAML: <c>username</c> =
/// the nameidentifier claim (the guide lists nameidentifier and name; the tag keys for SAML are the broker's inference).
/// </summary>
public static class PrincipalTagDefaults
{
    public const string SamlNameIdentifier = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
    public const string SamlName = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

    private static readonly Dictionary<string, string> ClientAndUsername = new(StringComparer.Ordinal) { ["client"] = "aud", ["username"] = "sub" };

    public static IReadOnlyDictionary<string, string> For(string providerName)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        if (providerName == "graph.facebook.com")
        {
            return new Dictionary<string, string>(StringComparer.Ordinal) { ["app_id"] = "aud", ["user_id"] = "sub" };
        }

        if (providerName == "www.amazon.com")
        {
            return new Dictionary<string, string>(StringComparer.Ordinal) { ["client"] = "aud", ["username"] = "user_id" };
        }

        if (providerName.Contains(":saml-provider/", StringComparison.Ordinal))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal) { ["username"] = SamlNameIdentifier, ["name"] = SamlName };
        }

        return ClientAndUsername;
    }
}
