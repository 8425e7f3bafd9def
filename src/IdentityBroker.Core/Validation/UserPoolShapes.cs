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
}
