using IdentityBroker.Identities;

namespace IdentityBroker.Storage;

/// <summary>
/// What the identity lifecycle stores (docs/identities.md, "Lifecycle"): last-seen times, deletions that hold only while an
/// identity still matches, the lease that lets one replica sweep at a time, and the cursors of bulk deletions.
/// </summary>
public interface IIdentityLifecycleStore
{
    /// <summary>Records when the identity was last seen; nothing when it does not exist.</summary>
    Task RecordLastSeenAsync(string identityId, DateTimeOffset seen, CancellationToken cancellationToken);

    /// <summary>The identity's last-seen time, or its creation time when never recorded; null when it does not exist.</summary>
    Task<DateTimeOffset?> GetLastSeenAsync(string identityId, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically deletes the identity with its logins when it was last seen (or, never seen, created) before
    /// <paramref name="seenBefore"/> and, with <paramref name="guestOnly"/>, has no login: an identity seen or linked meanwhile
    /// stays. No login is left pointing at a deleted identity.
    /// </summary>
    /// <returns>True when it was deleted.</returns>
    Task<bool> DeleteIdentityIfStaleAsync(string identityId, DateTimeOffset seenBefore, bool guestOnly, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/>: true when free, expired or already the holder's; false while another holder has it.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a lifecycle job's document: a bulk deletion's condition and cursor.</summary>
    Task SaveLifecycleJobAsync(string jobId, string document, CancellationToken cancellationToken);

    Task<string?> GetLifecycleJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates <paramref name="guest"/> (an identity without logins) only while its pool holds fewer than
    /// <paramref name="maxGuests"/> guests — identities with no login that are not disabled — counted and created in one
    /// atomic step, so parallel calls never pass the limit (MaxGuestIdentities, docs/limits.md).
    /// </summary>
    /// <returns>False, with nothing written, when the pool is full.</returns>
    /// <exception cref="InvalidOperationException">The pool is missing or the id exists.</exception>
    Task<bool> TryCreateGuestAsync(Identity guest, long maxGuests, CancellationToken cancellationToken);

    /// <summary>The pool's guests as MaxGuestIdentities counts them.</summary>
    Task<long> CountGuestsAsync(string poolId, CancellationToken cancellationToken);
}
