namespace IdentityBroker.Validation;

/// <summary>
/// The constrained shapes of cognito-identity.service-2.json (2014-06-30) used by the identity-pool operations.
/// Names follow the model's shape names; the model-driven test checks every value here against the model file.
/// </summary>
internal static class CognitoShapes
{
    public static readonly StringShape IdentityPoolId = new(1, 55, @"[\w-]+:[0-9a-f-]+", JavaPatterns.RegionGuid());

    public static readonly StringShape IdentityId = new(1, 55, @"[\w-]+:[0-9a-f-]+", JavaPatterns.RegionGuid());

    public static readonly StringShape IdentityPoolName = new(1, 128, @"[\w\s+=,.@-]+", JavaPatterns.IdentityPoolName());

    public static readonly StringShape AccountId = new(1, 15, @"\d+", JavaPatterns.AccountId());

    public static readonly StringShape DeveloperProviderName = new(1, 128, @"[\w._-]+", JavaPatterns.DeveloperProviderName());

    /// <summary>Logins / SupportedLoginProviders / RoleMappings key.</summary>
    public static readonly StringShape IdentityProviderName = new(1, 128);

    /// <summary>Logins value: marked <c>sensitive</c> in the model, so never echoed.</summary>
    public static readonly StringShape IdentityProviderToken = new(1, 50000, sensitive: true);

    /// <summary>SupportedLoginProviders value (the app id).</summary>
    public static readonly StringShape IdentityProviderId = new(1, 128, @"[\w.;_/-]+", JavaPatterns.IdentityProviderId());

    public static readonly StringShape ArnString = new(20, 2048);

    public static readonly StringShape CognitoIdentityProviderName =
        new(1, 128, @"[\w._:/-]+", JavaPatterns.CognitoIdentityProviderName());

    public static readonly StringShape CognitoIdentityProviderClientId = new(1, 128, @"[\w_]+", JavaPatterns.ClientId());

    public static readonly StringShape PaginationKey = new(1, 65535, @"[\S]+", JavaPatterns.PaginationKey());

    public static readonly StringShape RoleType = new(1, 128, "(un)?authenticated", JavaPatterns.RoleType());

    public static readonly StringShape ClaimName =
        new(1, 64, @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", matcher: JavaPatterns.IsClaimName);

    public static readonly StringShape ClaimValue = new(1, 128);

    public static readonly StringShape TagKeysType = new(1, 128);

    public static readonly StringShape TagValueType = new(0, 256);

    public static readonly IntegerShape QueryLimit = new(1, 60);

    /// <summary>A <c>long</c> in the model; its bounds fit an int.</summary>
    public static readonly IntegerShape TokenDuration = new(1, 86400);

    public static readonly StringShape DeveloperUserIdentifier = new(1, 1024);

    public static readonly StringShape PrincipalTagId = new(1, 128);

    public static readonly StringShape PrincipalTagValue = new(1, 256);

    public static readonly CountShape PrincipalTags = new(null, 50);

    public static readonly CountShape IdentityProviders = new(null, 10);

    public static readonly CountShape LoginsMap = new(null, 10);

    public static readonly CountShape RoleMappingMap = new(null, 10);

    public static readonly CountShape RolesMap = new(null, 2);

    public static readonly CountShape IdentityIdList = new(1, 60);

    public static readonly CountShape MappingRulesList = new(1, 400);

    /// <summary>OIDCProviderList, SAMLProviderList, CognitoIdentityProviderList, IdentityPoolTagsType: no count bounds.</summary>
    public static readonly CountShape Unbounded = new(null, null);

    public static readonly EnumShape RoleMappingType = new("Token", "Rules");

    public static readonly EnumShape AmbiguousRoleResolutionType = new("AuthenticatedRole", "Deny");

    public static readonly EnumShape MappingRuleMatchType = new("Equals", "Contains", "StartsWith", "NotEqual");
}
