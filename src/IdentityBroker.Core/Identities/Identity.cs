namespace IdentityBroker.Identities;

/// <summary>One login of one person at one provider: the Logins key and the provider's stable subject.</summary>
public sealed record LoginKey(string Provider, string Subject);

/// <summary>An identity as stored. An identity with no logins is unauthenticated (a guest).</summary>
public sealed record Identity
{
    public required string IdentityId { get; init; }

    public required string IdentityPoolId { get; init; }

    public IReadOnlyList<LoginKey> Logins { get; init; } = [];

    public DateTimeOffset CreationDate { get; init; }

    public DateTimeOffset LastModifiedDate { get; init; }

    public bool Disabled { get; init; }

    public bool IsAuthenticated => Logins.Count > 0;
}

/// <summary>What the store did for a set of logins presented together.</summary>
public enum LoginResolutionKind
{
    /// <summary>No login was known: a new identity was created with all of them linked.</summary>
    Created,

    /// <summary>The logins belong to one identity (any unlinked ones were linked to it).</summary>
    Existing,

    /// <summary>
    /// The logins belonged to different identities (or to another identity than the stored candidate): the owner
    /// took every login of the others, which are disabled (docs/identities.md, implicit merge).
    /// </summary>
    Merged,

    /// <summary>A login would be a second user of a provider already linked, or the identity would exceed its login limit.</summary>
    Conflict,
}

/// <param name="MergedIdentityIds">The identities disabled by a merge (empty unless <see cref="LoginResolutionKind.Merged"/>).</param>
public sealed record LoginResolution(
    LoginResolutionKind Kind, Identity? Identity, string? ConflictReason = null, IReadOnlyList<string>? MergedIdentityIds = null);

/// <summary>What MergeDeveloperIdentities did (store level).</summary>
public enum IdentityMergeKind
{
    /// <summary>The source's identity was merged into the destination's and disabled.</summary>
    Merged,

    /// <summary>Both logins already belong to the destination identity; nothing changed.</summary>
    AlreadyMerged,

    SourceNotFound,

    DestinationNotFound,

    /// <summary>The combined logins break the rules (provider clash, login limit); nothing changed.</summary>
    Conflict,
}

public sealed record IdentityMerge(IdentityMergeKind Kind, Identity? Identity, string? ConflictReason = null);
