namespace IdentityBroker.Pools;

/// <summary>
/// A pool's own limits (broker extension, docs/limits.md "Per-pool limits"), set with <c>PUT /admin/api/pools/{id}/limits</c>
/// and stored with the pool. Null fields set no limit.
/// </summary>
public sealed record PoolLimits
{
    /// <summary>STS's shortest session (AssumeRoleWithWebIdentity DurationSeconds minimum).</summary>
    public const int MinDurationSeconds = 900;

    /// <summary>The longest session an IAM role allows (MaxSessionDuration maximum, 12 hours).</summary>
    public const int MaxDurationSeconds = 43_200;

    /// <summary>The longest credentials GetCredentialsForIdentity issues for this pool, 900 to 43,200 seconds.</summary>
    public int? MaxCredentialDurationSeconds { get; init; }

    /// <summary>
    /// How many guest identities (no login, not disabled) the pool may hold; GetId without Logins beyond it is refused
    /// with LimitExceededException. Deleting an identity, linking a login to a guest or the guest sweeper frees a slot.
    /// </summary>
    public long? MaxGuestIdentities { get; init; }

    /// <summary>What is wrong with these limits, or null.</summary>
    public string? Problem() =>
        MaxCredentialDurationSeconds is < MinDurationSeconds or > MaxDurationSeconds
            ? $"MaxCredentialDurationSeconds must be {MinDurationSeconds} to {MaxDurationSeconds} (seconds)."
            : MaxGuestIdentities is < 0
                ? "MaxGuestIdentities must be 0 or more."
                : null;
}
