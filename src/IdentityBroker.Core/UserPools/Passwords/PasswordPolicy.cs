namespace IdentityBroker.UserPools.Passwords;

/// <summary>
/// Cognito's PasswordPolicyType. The defaults are those of a pool created without a policy (the Cognito developer
/// guide, "Adding user pool password requirements"): 8 characters, all four character classes, temporary passwords
/// valid 7 days, no history. The ranges are the service model's (PasswordPolicyMinLengthType 6–99,
/// TemporaryPasswordValidityDaysType 0–365, PasswordHistorySizeType 0–24); the wire layer refuses values outside them
/// with the model's ValidationException before a policy is built, so here they are programmer errors.
/// </summary>
public sealed record PasswordPolicy
{
    public const int MinimumLengthFloor = 6;
    public const int MinimumLengthCeiling = 99;
    public const int TemporaryPasswordValidityDaysCeiling = 365;
    public const int PasswordHistorySizeCeiling = 24;

    /// <summary>Cognito accepts passwords of up to 256 characters (PasswordType max).</summary>
    public const int MaximumPasswordLength = 256;

    public static PasswordPolicy Default { get; } = new();

    public int MinimumLength
    {
        get;
        init => field = value is >= MinimumLengthFloor and <= MinimumLengthCeiling
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumLength), value, "MinimumLength is 6 to 99.");
    } = 8;

    public bool RequireUppercase { get; init; } = true;

    public bool RequireLowercase { get; init; } = true;

    public bool RequireNumbers { get; init; } = true;

    public bool RequireSymbols { get; init; } = true;

    public int TemporaryPasswordValidityDays
    {
        get;
        init => field = value is >= 0 and <= TemporaryPasswordValidityDaysCeiling
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TemporaryPasswordValidityDays), value, "TemporaryPasswordValidityDays is 0 to 365.");
    } = 7;

    public int PasswordHistorySize
    {
        get;
        init => field = value is >= 0 and <= PasswordHistorySizeCeiling
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PasswordHistorySize), value, "PasswordHistorySize is 0 to 24.");
    }

    /// <summary>When a temporary password set at <paramref name="issuedAt"/> stops working.</summary>
    public DateTimeOffset TemporaryPasswordExpiry(DateTimeOffset issuedAt) => issuedAt.AddDays(TemporaryPasswordValidityDays);
}
