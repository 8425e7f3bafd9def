namespace IdentityBroker.Revocations;

/// <summary>
/// A revocation: every session issued before <see cref="IssuedBefore"/> in its scope is refused (docs/revocation.md).
/// The scope is a pool, narrowed to one identity and/or to the sessions that signed in with <see cref="Provider"/>.
/// A revocation by login (<see cref="Provider"/> and <see cref="Subject"/>) is resolved, when made, to the identity that
/// login belongs to, so <see cref="IdentityId"/> is set for it.
/// </summary>
public sealed record Revocation
{
    public required string RevocationId { get; init; }

    public required string IdentityPoolId { get; init; }

    public string? IdentityId { get; init; }

    public string? Provider { get; init; }

    public string? Subject { get; init; }

    public required DateTimeOffset IssuedBefore { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What a session (or a mint about to happen) is, for the revocation check: which pool, identity and providers, and when.</summary>
/// <param name="Amr">The broker token's <c>amr</c>: <c>authenticated</c>/<c>unauthenticated</c>, each provider used, each provider-qualified subject.</param>
public sealed record SessionScope(string IdentityPoolId, string IdentityId, IReadOnlyList<string> Amr, DateTimeOffset IssuedAt);

/// <summary>The one rule that says whether a revocation covers a session; shared by the embedded STS and the mint refusal of aws mode.</summary>
public static class RevocationRules
{
    /// <summary>Same pool; same identity when the revocation names one; the provider among the session's when it names one.</summary>
    public static bool InScope(Revocation revocation, SessionScope session)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentNullException.ThrowIfNull(session);
        return string.Equals(revocation.IdentityPoolId, session.IdentityPoolId, StringComparison.Ordinal)
            && (revocation.IdentityId is null || string.Equals(revocation.IdentityId, session.IdentityId, StringComparison.Ordinal))
            && (revocation.Provider is null || session.Amr.Contains(revocation.Provider, StringComparer.Ordinal));
    }

    /// <summary>In scope, and issued strictly before the revocation's time.</summary>
    public static bool Revokes(Revocation revocation, SessionScope session) =>
        InScope(revocation, session) && session.IssuedAt < revocation.IssuedBefore;
}
