using IdentityBroker.Revocations;

namespace IdentityBroker.Storage;

/// <summary>The revocations of sessions (docs/revocation.md); few, read whole by every replica.</summary>
public interface IRevocationStore
{
    /// <summary>Stores the revocation; false when one with the same id exists (ids are generated: a repeat is a bug).</summary>
    Task<bool> AddRevocationAsync(Revocation revocation, CancellationToken cancellationToken);

    /// <summary>Every revocation, oldest first.</summary>
    Task<IReadOnlyList<Revocation>> ListRevocationsAsync(CancellationToken cancellationToken);

    /// <returns>False when there is no such revocation.</returns>
    Task<bool> DeleteRevocationAsync(string revocationId, CancellationToken cancellationToken);
}
