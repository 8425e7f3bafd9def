namespace IdentityBroker.Validation;

/// <summary>
/// The constrained shapes of cognito-idp.service-2.json (2016-04-18) used by the user-pool operations served so far.
/// Names follow the model's shape names.
/// </summary>
internal static class UserPoolShapes
{
    public static readonly StringShape UserPoolIdType = new(1, 55, @"[\w-]+_[0-9a-zA-Z]+", JavaPatterns.UserPoolId());

    public static readonly StringShape UserPoolNameType = new(1, 128, @"[\w\s+=,.@-]+", JavaPatterns.IdentityPoolName());

    /// <summary>PaginationKeyType: unlike Cognito Identity's PaginationKey it has no maximum length.</summary>
    public static readonly StringShape PaginationKeyType = new(1, null, @"[\S]+", JavaPatterns.PaginationKey());

    public static readonly IntegerShape PoolQueryLimitType = new(1, 60);

    public static readonly IntegerShape PasswordPolicyMinLengthType = new(6, 99);

    public static readonly IntegerShape PasswordHistorySizeType = new(0, 24);

    public static readonly IntegerShape TemporaryPasswordValidityDaysType = new(0, 365);

    public static readonly StringShape TagKeysType = new(1, 128);

    public static readonly StringShape TagValueType = new(0, 256);

    public static readonly CountShape Unbounded = new(null, null);

    public static readonly EnumShape DeletionProtectionType = new("ACTIVE", "INACTIVE");

    public static readonly EnumShape UserPoolMfaType = new("OFF", "ON", "OPTIONAL");

    public static readonly EnumShape VerifiedAttributeType = new("phone_number", "email");

    public static readonly EnumShape AliasAttributeType = new("phone_number", "email", "preferred_username");

    public static readonly EnumShape UsernameAttributeType = new("phone_number", "email");

    public static readonly StringShape ClientNameType = new(1, 128, @"[\w\s+=,.@-]+", JavaPatterns.IdentityPoolName());

    /// <summary>Marked <c>sensitive</c> in the model, so never echoed.</summary>
    public static readonly StringShape ClientIdType = new(1, 128, @"[\w+]+", JavaPatterns.UserPoolClientId(), sensitive: true);

    /// <summary>Access, ID and refresh tokens; marked <c>sensitive</c>, so never echoed.</summary>
    public static readonly StringShape TokenModelType = new(null, null, "[A-Za-z0-9-_=.]+", JavaPatterns.TokenModel(), sensitive: true);

    public static readonly StringShape ClientSecretType = new(24, 64, @"[\w+]+", JavaPatterns.UserPoolClientId(), sensitive: true);

    /// <summary>ListUserPoolClients' PaginationKey (not PaginationKeyType): at most 131072 characters.</summary>
    public static readonly StringShape PaginationKey = new(1, 131072, @"[\S]+", JavaPatterns.PaginationKey());

    public static readonly IntegerShape QueryLimit = new(1, 60);

    public static readonly IntegerShape RefreshTokenValidityType = new(0, 315360000);

    public static readonly IntegerShape AccessTokenValidityType = new(1, 86400);

    public static readonly IntegerShape IdTokenValidityType = new(1, 86400);

    public static readonly EnumShape TimeUnitsType = new("seconds", "minutes", "hours", "days");

    public static readonly EnumShape FeatureType = new("ENABLED", "DISABLED");

    public static readonly IntegerShape RetryGracePeriodSecondsType = new(0, 60);

    public static readonly IntegerShape AuthSessionValidityType = new(3, 15);

    public static readonly EnumShape ExplicitAuthFlowsType = new("ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH");

    /// <summary>RedirectUrlType, the member of CallbackURLsListType and LogoutURLsListType: Java matches the classes per code point.</summary>
    public static readonly StringShape RedirectUrlType = new(1, 1024, @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", matcher: JavaPatterns.IsClaimName);

    public static readonly CountShape UrlList = new(0, 100);

    public static readonly EnumShape OAuthFlowType = new("code", "implicit", "client_credentials");

    public static readonly CountShape OAuthFlowsType = new(0, 3);

    public static readonly StringShape ScopeType = new(1, 256, @"[\x21\x23-\x5B\x5D-\x7E]+", JavaPatterns.Scope());

    public static readonly CountShape ScopeListType = new(null, 50);

    public static readonly EnumShape PreventUserExistenceErrorTypes = new("LEGACY", "ENABLED");
}
