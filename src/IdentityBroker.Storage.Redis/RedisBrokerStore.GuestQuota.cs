using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// MaxGuestIdentities (docs/limits.md, "Per-pool limits"): the pool's guests are a set on the pool's slot that every identity
/// script keeps (create, rewrite, delete, purge), so the count and the creation are one script.
/// </summary>
public sealed partial class RedisBrokerStore
{
    public Task<bool> TryCreateGuestAsync(Identity guest, long maxGuests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (guest.Logins.Count > 0 || guest.Disabled)
        {
            throw new ArgumentException("A guest has no login and is not disabled.", nameof(guest));
        }

        return GuardAsync(async () =>
        {
            var status = await InsertIdentityAsync(guest, [], maxGuests).ConfigureAwait(false);
            if (status == "full")
            {
                // The index entry written before the script points at nothing; a reader would take it as "not found" anyway.
                await Db.KeyDeleteAsync(_keys.IdentityIndex(guest.IdentityId)).ConfigureAwait(false);
            }

            return status switch
            {
                "ok" => true,
                "full" => false,
                "nopool" => throw new InvalidOperationException($"Identity pool '{guest.IdentityPoolId}' does not exist."),
                _ => throw new InvalidOperationException($"Identity '{guest.IdentityId}' already exists."),
            };
        });
    }

    public Task<long> CountGuestsAsync(string poolId, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.SetLengthAsync(_keys.Pool(poolId).Guests));
}
