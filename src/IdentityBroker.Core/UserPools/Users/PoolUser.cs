using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// One user of a user pool, as the store keeps it. <see cref="Username"/> is the name as Cognito keeps and returns it
/// (with UsernameAttributes it is the generated <see cref="Sub"/>); <see cref="Sub"/> never changes and is the store's
/// key. <see cref="Version"/> counts the writes: an update names the version it read and fails when another write came
/// first (compare-and-swap).
/// </summary>
public sealed record PoolUser
{
    public required string UserPoolId { get; init; }

    public required string Username { get; init; }

    /// <summary>A UUID, also returned as the <c>sub</c> attribute.</summary>
    public required string Sub { get; init; }

    /// <summary>Cognito's UserStatusType; see <see cref="UserStatuses"/>.</summary>
    public required string UserStatus { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Attribute name to value, <c>sub</c> excluded (it is <see cref="Sub"/>); <c>custom:</c> names as given.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The current password, or null for a user without one (not possible through the admin API).</summary>
    public PasswordCredential? Password { get; init; }

    /// <summary>Hashes of earlier passwords, newest first, as many as the pool's PasswordHistorySize keeps.</summary>
    public IReadOnlyList<string> PasswordHistory { get; init; } = [];

    public UserMfaSettings Mfa { get; init; } = UserMfaSettings.None;

    public SignInFailures Failures { get; init; } = SignInFailures.None;

    public required DateTimeOffset CreationDate { get; init; }

    public required DateTimeOffset LastModifiedDate { get; init; }

    /// <summary>0 for a user not yet stored; the store writes <c>Version + 1</c>.</summary>
    public long Version { get; init; }

    /// <summary>The attribute as AWS replies carry it, <c>sub</c> included.</summary>
    public string? Attribute(string name) =>
        name == StandardAttributes.Sub ? Sub : Attributes.GetValueOrDefault(name);

    public bool IsVerified(string attribute) => Attribute(attribute + "_verified") == "true";

    /// <summary>Never prints attributes or the credential.</summary>
    public override string ToString() => $"PoolUser {{ UserPoolId = {UserPoolId}, Sub = {Sub}, UserStatus = {UserStatus} }}";
}

/// <summary>
/// A password as the pool keeps it: the hash (<see cref="Passwords.PasswordHashes"/>) and the SRP salt and verifier
/// (<see cref="SrpVerifier"/>), always set together from the same password.
/// </summary>
/// <param name="TemporaryExpiresAt">Set for a temporary password (AdminCreateUser, AdminSetUserPassword with Permanent false).</param>
public sealed record PasswordCredential(string Hash, SrpVerifier Srp, DateTimeOffset SetAt, DateTimeOffset? TemporaryExpiresAt)
{
    public override string ToString() => "PasswordCredential { … }";
}

/// <summary>The user's MFA settings (SetUserMFAPreference, AssociateSoftwareToken fill them).</summary>
/// <param name="PreferredMethod">SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP; null for none.</param>
/// <param name="TotpSecret">The shared secret of a verified software token, base32; never returned.</param>
public sealed record UserMfaSettings(string? PreferredMethod, bool SmsEnabled, bool TotpEnabled, string? TotpSecret)
{
    public static UserMfaSettings None { get; } = new(null, false, false, null);

    public bool EmailEnabled { get; init; }

    /// <summary>AssociateSoftwareToken's secret until VerifySoftwareToken accepts a code of it; never returned again.</summary>
    public string? PendingTotpSecret { get; init; }

    /// <summary>The last RFC 6238 time step accepted for this user: a code of it or an earlier step is refused (no replay).</summary>
    public long? TotpLastStep { get; init; }

    public override string ToString() => $"UserMfaSettings {{ PreferredMethod = {PreferredMethod}, SmsEnabled = {SmsEnabled}, TotpEnabled = {TotpEnabled}, EmailEnabled = {EmailEnabled} }}";
}

/// <summary>Consecutive failed sign-ins and the lockout they caused (the sign-in flows keep them).</summary>
/// <param name="LastFailureAt">When the last counted failure happened (null in records written before it was kept).</param>
public sealed record SignInFailures(int Count, DateTimeOffset? LockedUntil, DateTimeOffset? LastFailureAt = null)
{
    public static SignInFailures None { get; } = new(0, null);
}

/// <summary>Cognito's UserStatusType values.</summary>
public static class UserStatuses
{
    public const string Unconfirmed = "UNCONFIRMED";
    public const string Confirmed = "CONFIRMED";
    public const string ResetRequired = "RESET_REQUIRED";
    public const string ForceChangePassword = "FORCE_CHANGE_PASSWORD";
    public const string ExternalProvider = "EXTERNAL_PROVIDER";
}
