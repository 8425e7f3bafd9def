using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Redis;

/// <summary>Unlinking, explicit merges and disabling: each one optimistic rewrite script on the pool's slot.</summary>
public sealed partial class RedisBrokerStore
{
    public async Task<Identity?> UnlinkLoginsAsync(string identityId, IReadOnlyList<LoginKey> logins, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logins);
        var distinct = logins.Distinct().ToList();
        var outcome = await RetryAsync(() => TryUnlinkAsync(identityId, distinct, now), $"Identity '{identityId}'", cancellationToken).ConfigureAwait(false);
        return outcome.Identity;
    }

    public Task<IdentityMerge> MergeIdentitiesAsync(
        string poolId, LoginKey destination, LoginKey source, LinkPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(policy);
        return RetryAsync(() => TryMergeIdentitiesAsync(poolId, destination, source, policy, now), $"Logins of pool '{poolId}'", cancellationToken);
    }

    public async Task<bool> DisableIdentityAsync(string identityId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await RetryAsync(
            async () =>
            {
                if (await FindIdentityAsync(identityId).ConfigureAwait(false) is not { } stored)
                {
                    return new Outcome(null);
                }

                var after = stored.Identity with { Disabled = true, LastModifiedDate = now };
                return await RewriteAsync(stored.Identity.IdentityPoolId, [new IdentityChange(stored, after)], [], []).ConfigureAwait(false)
                    ? new Outcome(after)
                    : null;
            },
            $"Identity '{identityId}'",
            cancellationToken).ConfigureAwait(false);
        return result.Identity is not null;
    }

    private async Task<Outcome?> TryUnlinkAsync(string identityId, List<LoginKey> logins, DateTimeOffset now)
    {
        if (await FindIdentityAsync(identityId).ConfigureAwait(false) is not { } stored)
        {
            return new Outcome(null);
        }

        var before = stored.Identity;
        var removed = logins.Where(l => before.Logins.Contains(l)).ToList();
        if (removed.Count == 0)
        {
            return new Outcome(before);
        }

        var remaining = before.Logins.Except(removed).ToList();

        // The last login gone: the identity is inaccessible, never a guest (docs/identities.md).
        var after = before with { Logins = remaining, Disabled = before.Disabled || remaining.Count == 0, LastModifiedDate = now };
        return await RewriteAsync(before.IdentityPoolId, [new IdentityChange(stored, after)], [], removed.Select(l => (l, (string?)null))).ConfigureAwait(false)
            ? new Outcome(after)
            : null;
    }

    private async Task<IdentityMerge?> TryMergeIdentitiesAsync(
        string poolId, LoginKey destination, LoginKey source, LinkPolicy policy, DateTimeOffset now)
    {
        var owners = await FindOwnersAsync(poolId, [destination, source]).ConfigureAwait(false);
        if (!owners.TryGetValue(destination, out var intoId))
        {
            return new IdentityMerge(IdentityMergeKind.DestinationNotFound, null);
        }

        if (!owners.TryGetValue(source, out var fromId))
        {
            return new IdentityMerge(IdentityMergeKind.SourceNotFound, null);
        }

        if (await ReadIdentityAsync(poolId, intoId).ConfigureAwait(false) is not { } owner)
        {
            return null;
        }

        if (fromId == intoId)
        {
            return new IdentityMerge(IdentityMergeKind.AlreadyMerged, owner.Identity);
        }

        if (await ReadIdentityAsync(poolId, fromId).ConfigureAwait(false) is not { } merged)
        {
            return null;
        }

        if (!StillOwned(owners, [owner, merged]))
        {
            return null; // the source or destination moved since the owners were read: decide again
        }

        if (LoginLinkRules.CheckCombined(owner.Identity.Logins, merged.Identity.Logins, policy) is { } clash)
        {
            return new IdentityMerge(IdentityMergeKind.Conflict, null, clash);
        }

        return await MoveLoginsAsync(poolId, owner, [merged], [], now).ConfigureAwait(false) is { } after
            ? new IdentityMerge(IdentityMergeKind.Merged, after)
            : null;
    }

    /// <summary>The stored identity wherever it lives (the id index names its pool).</summary>
    private async Task<StoredIdentity?> FindIdentityAsync(string identityId)
    {
        var poolId = await Db.StringGetAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
        return poolId.IsNull ? null : await ReadIdentityAsync((string)poolId!, identityId).ConfigureAwait(false);
    }

    /// <summary>A decided result that may be "no identity" (a null result means "decide again").</summary>
    private sealed record Outcome(Identity? Identity);
}
