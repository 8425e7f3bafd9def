using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// MaxGuestIdentities (docs/limits.md, "Per-pool limits"): the count and the insert run as one write on the single writer,
/// so no other write comes between them. The count reads the pool's identities through <c>identities_by_pool</c> and
/// each one's logins through <c>logins_by_identity</c>: its cost grows with the pool, and is paid only by pools with the limit.
/// </summary>
public sealed partial class SqliteBrokerStore
{
    private const string CountGuestsSql =
        "SELECT COUNT(*) FROM identities i WHERE i.pool_id = $pool AND i.disabled = 0 "
        + "AND NOT EXISTS (SELECT 1 FROM logins l WHERE l.identity_seq = i.seq);";

    public Task<bool> TryCreateGuestAsync(Identity guest, long maxGuests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (guest.Logins.Count > 0 || guest.Disabled)
        {
            throw new ArgumentException("A guest has no login and is not disabled.", nameof(guest));
        }

        // A read, then the insert alone: atomic without a SAVEPOINT (WriteNewGuestAsync).
        return WriteNewGuestAsync((guest, maxGuests), static async (s, r, ct) =>
        {
            if (await CountGuestsAsync(s, r.guest.IdentityPoolId, ct) >= r.maxGuests)
            {
                return false;
            }

            await InsertIdentityAsync(s, r.guest, [], ct);
            return true;
        }, cancellationToken);
    }

    public Task<long> CountGuestsAsync(string poolId, CancellationToken cancellationToken) =>
        ReadAsync(poolId, static (s, id, ct) => CountGuestsAsync(s, id, ct), cancellationToken);

    private static async Task<long> CountGuestsAsync(SqliteSession s, string poolId, CancellationToken ct)
    {
        var command = s.Command(CountGuestsSql);
        command.Parameters.AddWithValue("$pool", poolId);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
