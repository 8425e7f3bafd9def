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

    /// <summary>
    /// Move every login of <see cref="Merged"/> to <see cref="OwnerId"/>, disable the merged identities, then link the
    /// unknown logins to the owner (docs/identities.md, implicit merge).
    /// </summary>
    public sealed record Merge(string OwnerId, IReadOnlyList<string> Merged) : LoginLinkTarget;

    /// <summary>Change nothing; the caller answers ResourceConflict.</summary>
    public sealed record Refuse(string Reason) : LoginLinkTarget;
}

/// <summary>An identity that owns one of the presented logins, with what the owner choice needs.</summary>
public sealed record LoginOwner(string IdentityId, DateTimeOffset CreationDate);

/// <summary>
/// What a pool allows when logins are linked: the developer provider may hold several subjects on one identity
/// (MergeDeveloperIdentities puts several developer users on one identity), every other provider one; at most
/// <see cref="MaxLogins"/> logins per identity (Cognito Identity API reference, MergeDeveloperIdentities: 20).
/// </summary>
public sealed record LinkPolicy(string? DeveloperProviderName = null, int MaxLogins = LinkPolicy.LoginLimit)
{
    public const int LoginLimit = 20;

    public static LinkPolicy Default { get; } = new();
}

/// <summary>
/// The linking rules shared by every store (docs/identities.md): one login belongs to one identity, logins are per pool,
/// an identity holds at most one subject per public provider and at most 20 logins, and logins owned by different
/// identities merge them. Stores look the facts up inside their atomic section and call these pure functions to decide.
/// </summary>
/// <remarks>
/// Owner choice on a merge: the identity that already owns a presented login wins over an identity that only
/// presents it (the stored candidate of GetOpenIdToken/GetCredentialsForIdentity), so the id that the login has
/// always resolved to stays stable. Among several owners the oldest (creation date, then id) wins, so the choice
/// does not depend on the order of the Logins map.
/// </remarks>
public static class LoginLinkRules
{
    /// <summary>The presented logins without repeats, in their first order.</summary>
    public static IReadOnlyList<LoginKey> Distinct(IReadOnlyList<LoginKey> logins) =>
        logins.Distinct().ToList();

    /// <param name="candidate">The identity to create, or the stored identity presenting the logins.</param>
    /// <param name="storedCandidatePoolId">The pool of the stored candidate; null when the candidate is not stored.</param>
    /// <param name="owners">The owner of each presented login that is already linked (in the candidate's pool).</param>
    public static LoginLinkTarget ChooseTarget(Identity candidate, string? storedCandidatePoolId, IEnumerable<LoginOwner> owners)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (storedCandidatePoolId is not null && storedCandidatePoolId != candidate.IdentityPoolId)
        {
            return new LoginLinkTarget.Refuse($"Identity '{candidate.IdentityId}' belongs to another identity pool.");
        }

        var ordered = owners.DistinctBy(o => o.IdentityId, StringComparer.Ordinal)
            .OrderBy(o => o.CreationDate).ThenBy(o => o.IdentityId, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            return storedCandidatePoolId is null
                ? new LoginLinkTarget.CreateCandidate()
                : new LoginLinkTarget.LinkTo(candidate.IdentityId);
        }

        var owner = ordered[0].IdentityId;
        var merged = ordered.Skip(1).Select(o => o.IdentityId).ToList();
        if (storedCandidatePoolId is not null && owner != candidate.IdentityId && !merged.Contains(candidate.IdentityId))
        {
            merged.Add(candidate.IdentityId);
        }

        merged.Remove(owner);
        return merged.Count == 0 ? new LoginLinkTarget.LinkTo(owner) : new LoginLinkTarget.Merge(owner, merged);
    }

    /// <summary>
    /// Why linking <paramref name="adding"/> to an identity that holds <paramref name="existing"/> would give it a
    /// second, different subject for one provider (docs/identities.md: one login per provider per identity); null when it would not.
    /// </summary>
    public static string? FindProviderClash(IEnumerable<LoginKey> existing, IReadOnlyCollection<LoginKey> adding) =>
        FindProviderClash(existing, adding, LinkPolicy.Default);

    /// <inheritdoc cref="FindProviderClash(IEnumerable{LoginKey}, IReadOnlyCollection{LoginKey})"/>
    public static string? FindProviderClash(IEnumerable<LoginKey> existing, IReadOnlyCollection<LoginKey> adding, LinkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(adding);
        ArgumentNullException.ThrowIfNull(policy);
        var providers = adding.Select(l => l.Provider)
            .Where(p => !string.Equals(p, policy.DeveloperProviderName, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var clash = existing.Concat(adding)
            .Where(l => providers.Contains(l.Provider))
            .GroupBy(l => l.Provider, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Select(l => l.Subject).Distinct(StringComparer.Ordinal).Skip(1).Any());
        return clash is null
            ? null
            : $"The identity would hold a second, different login for provider '{clash.Key}'.";
    }

    /// <summary>
    /// Why the logins gathered on one identity (its own, those of merged identities, new ones) break the rules:
    /// a provider clash or more than <see cref="LinkPolicy.MaxLogins"/> logins; null when they do not.
    /// </summary>
    public static string? CheckCombined(IReadOnlyCollection<LoginKey> kept, IReadOnlyCollection<LoginKey> joining, LinkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(joining);
        ArgumentNullException.ThrowIfNull(policy);
        if (FindProviderClash(kept, joining, policy) is { } clash)
        {
            return clash;
        }

        var total = kept.Concat(joining).Distinct().Count();
        return total > policy.MaxLogins
            ? $"An identity can have at most {policy.MaxLogins} linked logins; this would link {total}."
            : null;
    }
}
