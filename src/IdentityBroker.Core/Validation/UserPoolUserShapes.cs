namespace IdentityBroker.Validation;

/// <summary>The constrained shapes of cognito-idp.service-2.json (2016-04-18) used by the user operations.</summary>
internal static class UserPoolUserShapes
{
    /// <summary>UsernameType: sensitive in the model, so never echoed.</summary>
    public static readonly StringShape UsernameType = new(1, 128, @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", matcher: JavaPatterns.IsClaimName,
        sensitive: true);

    /// <summary>PasswordType: Java's <c>\S</c> is <c>[^ \t\n\x0B\f\r]</c>.</summary>
    public static readonly StringShape PasswordType = new(null, 256, @"[\S]+", JavaPatterns.PaginationKey(), sensitive: true);

    public static readonly StringShape AttributeNameType = new(1, 32, @"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+", matcher: IsAttributeName);

    public static readonly StringShape AttributeValueType = new(null, 2048, sensitive: true);

    public static readonly StringShape CustomAttributeNameType = new(1, 20, @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", matcher: JavaPatterns.IsClaimName);

    public static readonly StringShape SearchPaginationTokenType = new(1, null, @"[\S]+", JavaPatterns.PaginationKey());

    public static readonly StringShape UserFilterType = new(null, 256);

    public static readonly StringShape StringType = new(0, 131072);

    public static readonly IntegerShape QueryLimitType = new(0, 60);

    public static readonly CountShape CustomAttributesListType = new(1, 25);

    public static readonly EnumShape MessageActionType = new("RESEND", "SUPPRESS");

    public static readonly EnumShape DeliveryMediumType = new("SMS", "EMAIL");

    public static readonly EnumShape AttributeDataType = new("String", "Number", "DateTime", "Boolean");

    /// <summary>The name classes of UsernameType plus tab, line feed, carriage return and space.</summary>
    private static bool IsAttributeName(string value)
    {
        var stripped = string.Concat(value.Where(c => c is not ('\t' or '\n' or '\r' or ' ')));
        return value.Length > 0 && (stripped.Length == 0 || JavaPatterns.IsClaimName(stripped));
    }
}
