namespace IdentityBroker.Validation;

/// <summary>The constrained shapes of cognito-idp.service-2.json (2016-04-18) used by the MFA operations.</summary>
internal static class UserPoolMfaShapes
{
    /// <summary>SessionType: sensitive, never echoed.</summary>
    public static readonly StringShape SessionType = new(20, 2048, sensitive: true);

    /// <summary>SoftwareTokenMFAUserCodeType: six digits, sensitive.</summary>
    public static readonly StringShape UserCodeType = new(6, 6, "[0-9]+", matcher: IsDigits, sensitive: true);

    public static readonly StringShape StringType = new(0, 131072);

    /// <summary>SmsVerificationMessageType <c>.*\{####\}.*</c> (Java's <c>.</c>: no line terminator).</summary>
    public static readonly StringShape SmsMessageType = new(6, 140, @".*\{####\}.*", matcher: IsSmsMessage);

    /// <summary>EmailMfaMessageType: ClaimName characters or whitespace around <c>{####}</c>.</summary>
    public static readonly StringShape EmailMessageType = new(6, 20000,
        @"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*", matcher: v => v.Contains("{####}", StringComparison.Ordinal) && IsText(v));

    /// <summary>EmailMfaSubjectType <c>[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+</c>.</summary>
    public static readonly StringShape EmailSubjectType = new(null, null, @"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+", matcher: v => v.Length > 0 && IsText(v));

    public static readonly StringShape SnsRegionType = new(5, 32);

    public static readonly EnumShape UserVerificationType = new("required", "preferred");

    public static readonly EnumShape FactorConfigurationType = new("SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION");

    public static readonly StringShape RelyingPartyIdType = new(1, 127);

    private static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    private static bool IsSmsMessage(string value) =>
        value.Contains("{####}", StringComparison.Ordinal) && !value.Any(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029');

    /// <summary>Java's <c>\s</c> is ASCII whitespace; every other character must be a ClaimName character.</summary>
    private static bool IsText(string value)
    {
        var rest = new string([.. value.Where(c => c is not (' ' or '\t' or '\n' or '\x0B' or '\f' or '\r'))]);
        return rest.Length == 0 || JavaPatterns.IsClaimName(rest);
    }
}
