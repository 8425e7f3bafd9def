using IdentityBroker.Identities;

namespace IdentityBroker.Storage;

/// <summary>What <see cref="IIdentityStore.ResolveLoginsAsync"/> does for a set of logins, decided before any write.</summary>
public abstract record LoginLinkTarget
{
    private LoginLinkTarget()
    {
    }

    /// <summary>No login is known and the candidate is new: create it with all logins.</summary>
    public sealed record CreateCandidate : LoginLinkTarget;

    /// <summary>Link the unknown logins to this stored identity.</summary>
    public sealed record LinkTo(string IdentityId) : LoginLinkTarget;

    /// <summary>Change nothing; the caller answers ResourceConflict (or merges, once merging exists).</summary>
    public sealed record Refuse(string Reason) : LoginLinkTarget;
}

/// <summary>
/// The linking rules shared by every store (notes §8): one login belongs to one identity, logins are per pool,
/// and an identity holds at most one subject per provider. Stores look the facts up inside their atomic
/// section and call these pure functions to decide.
/// </summary>
public static class LoginLinkRules
{
    /// <summary>The presented logins without repeats, in their first order.</summary>
    public static IReadOnlyList<LoginKey> Distinct(IReadOnlyList<LoginKey> logins) =>
        logins.Distinct().ToList();

    /// <param name="candidate">The identity to create, or the stored identity presenting the logins.</param>
    /// <param name="storedCandidatePoolId">The pool of the stored candidate; null when the candidate is not stored.</param>
    /// <param name="owners">The owner of each presented login that is already linked (in the candidate's pool).</param>
    public static LoginLinkTarget ChooseTarget(Identity candidate, string? storedCandidatePoolId, IEnumerable<string> owners)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (storedCandidatePoolId is not null && storedCandidatePoolId != candidate.IdentityPoolId)
        {
            return new LoginLinkTarget.Refuse($"Identity '{candidate.IdentityId}' belongs to another identity pool.");
        }

        var distinctOwners = owners.Distinct(StringComparer.Ordinal).Take(2).ToList();
        if (distinctOwners.Count > 1)
        {
            return new LoginLinkTarget.Refuse("The logins belong to different identities.");
        }

        if (distinctOwners.Count == 1)
        {
            var owner = distinctOwners[0];
            return storedCandidatePoolId is null || owner == candidate.IdentityId
                ? new LoginLinkTarget.LinkTo(owner)
                : new LoginLinkTarget.Refuse($"A login is already linked to an identity other than '{candidate.IdentityId}'.");
        }

        return storedCandidatePoolId is null
            ? new LoginLinkTarget.CreateCandidate()
            : new LoginLinkTarget.LinkTo(candidate.IdentityId);
    }

    /// <summary>
    /// Why linking <paramref name="adding"/> to an identity that holds <paramref name="existing"/> would give it a
    /// second, different subject for one provider (notes §8: one login per provider per identity); null when it would not.
    /// </summary>
    public static string? FindProviderClash(IEnumerable<LoginKey> existing, IReadOnlyCollection<LoginKey> adding)
    {
        ArgumentNullException.ThrowIfNull(adding);
        var providers = adding.Select(l => l.Provider).ToHashSet(StringComparer.Ordinal);
        var clash = existing.Concat(adding)
            .Where(l => providers.Contains(l.Provider))
            .GroupBy(l => l.Provider, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Select(l => l.Subject).Distinct(StringComparer.Ordinal).Skip(1).Any());
        return clash is null
            ? null
            : $"The identity would hold a second, different login for provider '{clash.Key}'.";
    }
}
