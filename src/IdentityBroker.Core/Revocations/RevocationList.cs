using IdentityBroker.Storage;

namespace IdentityBroker.Revocations;

/// <summary>
/// This replica's copy of the revocations, read by every signed call: refreshed from the store at once after a change made
/// here, and by <c>RevocationRefresher</c> every <see cref="RefreshInterval"/> for changes made on other replicas, so a
/// revocation reaches every replica within a second (docs/revocation.md).
/// </summary>
public sealed class RevocationList(IRevocationStore store)
{
    /// <summary>How often the other replicas' changes are read: half of the one-second promise, so one lost read still keeps it.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private volatile IReadOnlyList<Revocation> _current = [];

    public IReadOnlyList<Revocation> Current => _current;

    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        _current = await store.ListRevocationsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The revocation that refuses <paramref name="session"/>, or null.</summary>
    public Revocation? Revoking(SessionScope session)
    {
        foreach (var revocation in _current)
        {
            if (RevocationRules.Revokes(revocation, session))
            {
                return revocation;
            }
        }

        return null;
    }

    /// <summary>A revocation whose scope takes in <paramref name="session"/> whatever its time (aws mode stops minting for it), or null.</summary>
    public Revocation? Covering(SessionScope session) => _current.FirstOrDefault(r => RevocationRules.InScope(r, session));
}
