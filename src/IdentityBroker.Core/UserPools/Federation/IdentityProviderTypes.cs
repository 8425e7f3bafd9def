namespace IdentityBroker.UserPools.Federation;

/// <summary>IdentityProviderTypeType, and what each type's user is named by.</summary>
public static class IdentityProviderTypes
{
    public const string Saml = "SAML";
    public const string Facebook = "Facebook";
    public const string Google = "Google";
    public const string LoginWithAmazon = "LoginWithAmazon";
    public const string SignInWithApple = "SignInWithApple";
    public const string Oidc = "OIDC";

    /// <summary>
    /// The provider name Cognito requires for a social type: a Google provider is named <c>Google</c>, and so on
    /// (API reference, CreateIdentityProvider, ProviderName). OIDC and SAML providers are named freely.
    /// </summary>
    public static string? FixedName(string providerType) => providerType switch
    {
        Facebook or Google or LoginWithAmazon or SignInWithApple => providerType,
        _ => null,
    };

    /// <summary>
    /// The claim of the provider's profile that identifies its user, mapped to <c>username</c> by default (API
    /// reference, AdminLinkProviderForUser: Facebook <c>id</c>, Google <c>sub</c>, Login with Amazon <c>user_id</c>).
    /// SAML's subject is the assertion's NameID.
    /// </summary>
    public static string SubjectClaim(string providerType) => providerType switch
    {
        Facebook => "id",
        LoginWithAmazon => "user_id",
        Saml => SamlNameIdClaim,
        _ => "sub",
    };

    /// <summary>The attribute name under which a SAML NameID is mapped (Cognito's SAML attribute mapping for the subject).</summary>
    public const string SamlNameIdClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
}
