using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>Unlinking, explicit merges and disabling: each one write transaction.</summary>
public sealed partial class SqliteBrokerStore
{
    private const string DeleteLoginSql =
        "DELETE FROM logins WHERE identity_seq = (SELECT seq FROM identities WHERE id = $id) AND provider = $provider AND subject = $subject;";

    public Task<Identity?> UnlinkLoginsAsync(string identityId, IReadOnlyList<LoginKey> logins, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logins);
        return WriteAsync((identityId, logins, now), static async (s, r, ct) =>
        {
            var before = await SelectIdentityAsync(s, r.identityId, ct);
            if (before is null)
            {
                return null;
            }

            var removed = 0;
            foreach (var login in r.logins.Distinct())
            {
                var delete = s.Command(DeleteLoginSql);
                delete.Parameters.AddWithValue("$id", r.identityId);
                delete.Parameters.AddWithValue("$provider", login.Provider);
                delete.Parameters.AddWithValue("$subject", login.Subject);
                removed += await delete.ExecuteNonQueryAsync(ct);
            }

            if (removed == 0)
            {
                return before;
            }

            // The last login gone: the identity is inaccessible, never a guest (docs/identities.md).
            if (removed == before.Logins.Count)
            {
                await DisableAsync(s, r.identityId, r.now, ct);
            }
            else
            {
                await TouchAsync(s, r.identityId, r.now, ct);
            }

            return await SelectIdentityAsync(s, r.identityId, ct);
        }, cancellationToken);
    }

    public Task<IdentityMerge> MergeIdentitiesAsync(
        string poolId, LoginKey destination, LoginKey source, LinkPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(policy);
        return WriteAsync((poolId, destination, source, policy, now), static async (s, r, ct) =>
        {
            var into = await FindOwnerAsync(s, r.poolId, r.destination, ct);
            if (into is null)
            {
                return new IdentityMerge(IdentityMergeKind.DestinationNotFound, null);
            }

            var from = await FindOwnerAsync(s, r.poolId, r.source, ct);
            if (from is null)
            {
                return new IdentityMerge(IdentityMergeKind.SourceNotFound, null);
            }

            var owner = await RequireIdentityAsync(s, into.IdentityId, ct);
            if (from.IdentityId == into.IdentityId)
            {
                return new IdentityMerge(IdentityMergeKind.AlreadyMerged, owner);
            }

            var merged = await RequireIdentityAsync(s, from.IdentityId, ct);
            if (LoginLinkRules.CheckCombined(owner.Logins, merged.Logins, r.policy) is { } clash)
            {
                return new IdentityMerge(IdentityMergeKind.Conflict, null, clash);
            }

            await MoveLoginsAndDisableAsync(s, merged.IdentityId, owner.IdentityId, r.now, ct);
            await TouchAsync(s, owner.IdentityId, r.now, ct);
            return new IdentityMerge(IdentityMergeKind.Merged, await SelectIdentityAsync(s, owner.IdentityId, ct));
        }, cancellationToken);
    }

    public Task<bool> DisableIdentityAsync(string identityId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((identityId, now), static (s, r, ct) => DisableAsync(s, r.identityId, r.now, ct), cancellationToken);
}
