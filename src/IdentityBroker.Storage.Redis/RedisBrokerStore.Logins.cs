using IdentityBroker.Identities;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    /// <summary>
    /// Each attempt is caused by a competing write that succeeded, so attempts end quickly even under heavy
    /// contention; this bound only turns a bug into an exception instead of a loop.
    /// </summary>
    private const int MaxAttempts = 200;

    /// <summary>
    /// Optimistic and atomic: read the facts (owners of the logins and their identities, where the candidate is
    /// stored), decide with the shared <see cref="LoginLinkRules"/>, then write with a script that first re-checks
    /// exactly those facts on the pool's slot and writes nothing when one changed; then decide again. So one login
    /// belongs to one identity under any concurrency, across replicas, and a conflict changes nothing.
    /// </summary>
    public Task<LoginResolution> ResolveLoginsAsync(
        Identity candidate, IReadOnlyList<LoginKey> logins, LinkPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(logins);
        ArgumentNullException.ThrowIfNull(policy);
        var distinct = LoginLinkRules.Distinct(logins);
        return RetryAsync(() => TryResolveAsync(candidate, distinct, policy, now), $"Logins of pool '{candidate.IdentityPoolId}'", cancellationToken);
    }

    public Task<string?> FindLoginOwnerAsync(string poolId, LoginKey login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        return GuardAsync(async () =>
        {
            var owner = await Db.HashGetAsync(_keys.Pool(poolId).Logins, RedisKeys.LoginField(login)).ConfigureAwait(false);
            return owner.IsNull ? null : (string?)owner;
        });
    }

    /// <summary>Runs an optimistic attempt until it decides (non-null) or the attempts run out.</summary>
    private static Task<T> RetryAsync<T>(Func<Task<T?>> attempt, string what, CancellationToken cancellationToken)
        where T : class =>
        GuardAsync(async () =>
        {
            for (var i = 0; i < MaxAttempts; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await attempt().ConfigureAwait(false) is { } decided)
                {
                    return decided;
                }
            }

            throw new InvalidOperationException($"{what} kept changing during {MaxAttempts} attempts.");
        });

    /// <returns>Null when the facts changed before the write: decide again.</returns>
    private async Task<LoginResolution?> TryResolveAsync(Identity candidate, IReadOnlyList<LoginKey> logins, LinkPolicy policy, DateTimeOffset now)
    {
        var poolId = candidate.IdentityPoolId;
        var owners = await FindOwnersAsync(poolId, logins).ConfigureAwait(false);
        var owning = new Dictionary<string, StoredIdentity>(StringComparer.Ordinal);
        foreach (var ownerId in owners.Values.Distinct(StringComparer.Ordinal))
        {
            if (await ReadIdentityAsync(poolId, ownerId).ConfigureAwait(false) is not { } owner)
            {
                return null; // deleted meanwhile
            }

            owning[ownerId] = owner;
        }

        var storedPool = await FindStoredPoolAsync(candidate.IdentityId, poolId).ConfigureAwait(false);
        var unknown = logins.Where(l => !owners.ContainsKey(l)).ToList();
        var facts = owning.Values.Select(o => new LoginOwner(o.Identity.IdentityId, o.Identity.CreationDate));
        return LoginLinkRules.ChooseTarget(candidate, storedPool, facts) switch
        {
            LoginLinkTarget.Refuse refuse => Conflict(refuse.Reason),
            LoginLinkTarget.LinkTo link => await TryMergeAsync(poolId, link.IdentityId, [], owners, unknown, policy, now).ConfigureAwait(false),
            LoginLinkTarget.Merge merge => await TryMergeAsync(poolId, merge.OwnerId, merge.Merged, owners, unknown, policy, now).ConfigureAwait(false),
            _ => await TryCreateAsync(candidate, unknown, policy).ConfigureAwait(false),
        };
    }

    private async Task<LoginResolution?> TryCreateAsync(Identity candidate, List<LoginKey> logins, LinkPolicy policy)
    {
        if (LoginLinkRules.CheckCombined([], logins, policy) is { } clash)
        {
            return Conflict(clash);
        }

        return await InsertIdentityAsync(candidate, logins).ConfigureAwait(false) switch
        {
            "ok" => new LoginResolution(LoginResolutionKind.Created, candidate with { Logins = logins }),
            "nopool" => throw new InvalidOperationException($"Identity pool '{candidate.IdentityPoolId}' does not exist."),
            _ => null, // created meanwhile by someone else, or a login got linked: decide again.
        };
    }

    /// <summary>
    /// The owner takes every login of <paramref name="mergedIds"/> (which are disabled) and the unknown logins; with
    /// no merged identity this is a plain link. The combined logins are checked before anything is written.
    /// </summary>
    /// <param name="presentedOwners">The owners the decision was based on (read before the identities).</param>
    private async Task<LoginResolution?> TryMergeAsync(
        string poolId, string ownerId, IReadOnlyList<string> mergedIds, IReadOnlyDictionary<LoginKey, string> presentedOwners,
        List<LoginKey> unknown, LinkPolicy policy, DateTimeOffset now)
    {
        if (await ReadIdentityAsync(poolId, ownerId).ConfigureAwait(false) is not { } owner)
        {
            return null;
        }

        if (mergedIds.Count == 0 && unknown.Count == 0)
        {
            // GetId of a known login: the client's next call (GetCredentialsForIdentity) reads this identity by id, so
            // this replica goes to its pool at once (on a Cluster one round trip instead of the index, then the pool).
            _identityPools.Remember(ownerId, poolId);
            return new LoginResolution(LoginResolutionKind.Existing, owner.Identity);
        }

        var merged = new List<StoredIdentity>();
        foreach (var id in mergedIds)
        {
            if (await ReadIdentityAsync(poolId, id).ConfigureAwait(false) is not { } identity)
            {
                return null;
            }

            merged.Add(identity);
        }

        if (!StillOwned(presentedOwners, [owner, .. merged]))
        {
            return null;
        }

        var joining = merged.SelectMany(m => m.Identity.Logins).Concat(unknown).ToList();
        if (LoginLinkRules.CheckCombined(owner.Identity.Logins, joining, policy) is { } clash)
        {
            return Conflict(clash);
        }

        var status = await MoveLoginsAsync(poolId, owner, merged, unknown, now).ConfigureAwait(false);
        if (status is not { } updated)
        {
            return null;
        }

        return mergedIds.Count == 0
            ? new LoginResolution(LoginResolutionKind.Existing, updated)
            : new LoginResolution(LoginResolutionKind.Merged, updated, null, mergedIds);
    }

    /// <summary>Moves the logins of <paramref name="merged"/> (disabled) and the free <paramref name="unknown"/> logins to the owner.</summary>
    /// <returns>The owner afterwards; null when the facts changed (decide again).</returns>
    private async Task<Identity?> MoveLoginsAsync(
        string poolId, StoredIdentity owner, IReadOnlyList<StoredIdentity> merged, IReadOnlyList<LoginKey> unknown, DateTimeOffset now)
    {
        var taken = owner.Identity.Logins.Concat(merged.SelectMany(m => m.Identity.Logins)).Concat(unknown).Distinct().ToList();
        var after = owner.Identity with { Logins = taken, LastModifiedDate = now };
        var changes = new List<IdentityChange> { new(owner, after) };
        changes.AddRange(merged.Select(m => new IdentityChange(m, m.Identity with { Logins = [], Disabled = true, LastModifiedDate = now })));
        var assignments = merged.SelectMany(m => m.Identity.Logins).Concat(unknown).Select(l => (l, (string?)owner.Identity.IdentityId));
        // The merged identities' Cognito Sync datasets move in the same script as the merge (docs/sync.md).
        var datasets = merged.Count == 0 ? null
            : await PlanDatasetMovesAsync(poolId, owner.Identity.IdentityId, [.. merged.Select(m => m.Identity.IdentityId)]).ConfigureAwait(false);
        var status = await RewriteAsync(poolId, changes, unknown, assignments, datasets).ConfigureAwait(false);
        return status ? after : null;
    }

    /// <summary>Runs <see cref="RedisScripts.RewriteIdentities"/>; false when a fact changed.</summary>
    /// <exception cref="InvalidOperationException">The pool was deleted.</exception>
    private async Task<bool> RewriteAsync(
        string poolId, IReadOnlyList<IdentityChange> changes, IEnumerable<LoginKey> mustBeFree, IEnumerable<(LoginKey Login, string? Owner)> assignments,
        SyncDatasetMoves? datasets = null)
    {
        var keys = _keys.Pool(poolId);
        var redisKeys = new List<RedisKey> { keys.Alive, keys.Logins, keys.Enabled, keys.Guests };
        var arguments = new List<RedisValue> { changes.Count };
        foreach (var change in changes)
        {
            redisKeys.Add(keys.Identity(change.After.IdentityId));
            arguments.Add(change.After.IdentityId);
            arguments.Add(change.Before.LoginsJson);
            arguments.Add(change.Before.Identity.Disabled ? "1" : "0");
            arguments.Add(LoginsCodec.Encode(change.After.Logins));
            arguments.Add(change.After.Disabled ? "1" : "0");
            arguments.Add(Ticks(change.After.LastModifiedDate));
        }

        var free = mustBeFree.Select(l => (RedisValue)RedisKeys.LoginField(l)).ToList();
        arguments.Add(free.Count);
        arguments.AddRange(free);
        var moves = assignments.ToList();
        arguments.Add(moves.Count);
        foreach (var (login, owner) in moves)
        {
            arguments.Add(RedisKeys.LoginField(login));
            arguments.Add(owner ?? "");
        }

        var script = datasets is null ? RedisScripts.RewriteIdentities : datasets.AppendTo(redisKeys, arguments);
        var status = (string)(await Db.ScriptEvaluateAsync(script, [.. redisKeys], [.. arguments]).ConfigureAwait(false))!;
        return status switch
        {
            "ok" => true,
            "nopool" => throw new InvalidOperationException($"Identity pool '{poolId}' does not exist."),
            _ => false,
        };
    }

    private async Task<Dictionary<LoginKey, string>> FindOwnersAsync(string poolId, IReadOnlyList<LoginKey> logins)
    {
        var owners = new Dictionary<LoginKey, string>();
        if (logins.Count == 0)
        {
            return owners;
        }

        var values = await Db.HashGetAsync(
            _keys.Pool(poolId).Logins, logins.Select(l => (RedisValue)RedisKeys.LoginField(l)).ToArray()).ConfigureAwait(false);
        for (var i = 0; i < logins.Count; i++)
        {
            if (!values[i].IsNull)
            {
                owners[logins[i]] = (string)values[i]!;
            }
        }

        return owners;
    }

    /// <summary>
    /// Whether the identities as read still hold the logins whose owners the decision was based on. The owners are
    /// read before the identities: an identity merged elsewhere in between reads as disabled and empty, and merging
    /// it would "succeed" (the rewrite script checks the identities against this read) while its logins stay with the
    /// other identity. Checked here, the script's version check then covers the whole decision.
    /// </summary>
    private static bool StillOwned(IReadOnlyDictionary<LoginKey, string> owners, IReadOnlyList<StoredIdentity> read) =>
        owners.All(o => read.Any(r => r.Identity.IdentityId == o.Value && r.Identity.Logins.Contains(o.Key)));

    private static LoginResolution Conflict(string reason) => new(LoginResolutionKind.Conflict, null, reason);

    /// <summary>One identity rewritten: as read (the version checked) and as it will be.</summary>
    private sealed record IdentityChange(StoredIdentity Before, Identity After);
}
