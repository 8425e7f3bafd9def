namespace IdentityBroker.UserPools.Mfa;

/// <summary>SetUserPoolMfaConfig: <paramref name="MfaConfiguration"/> null keeps the pool's; the factors replace the pool's.</summary>
public sealed record SetPoolMfaConfig(string UserPoolId, string? MfaConfiguration, PoolMfaFactors Factors);

public sealed record GetPoolMfaConfig(string UserPoolId);

/// <summary>A pool's MfaConfiguration and factors, as SetUserPoolMfaConfig and GetUserPoolMfaConfig return them.</summary>
public sealed record PoolMfaConfig(string MfaConfiguration, PoolMfaFactors Factors);

/// <summary>The user a software-token or preference call is about (from an access token, a sign-in session or an admin call).</summary>
public sealed record MfaUser(string UserPoolId, string Username);

public sealed record AssociateSoftwareToken(MfaUser User);

public sealed record VerifySoftwareToken(MfaUser User, string UserCode, string? FriendlyDeviceName);

/// <summary>One factor's part of SetUserMFAPreference; null members are left as they are.</summary>
public sealed record MfaFactorPreference(bool? Enabled, bool? Preferred);

/// <summary>SetUserMFAPreference and AdminSetUserMFAPreference: a factor left out (null) is left as it is.</summary>
public sealed record SetMfaPreference(MfaUser User, MfaFactorPreference? Sms, MfaFactorPreference? SoftwareToken, MfaFactorPreference? Email);
