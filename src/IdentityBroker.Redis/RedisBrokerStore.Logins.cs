using IdentityBroker.Identities;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    /// <summary>
    /// Each attempt is caused by a competing write that succeeded, so attempts end quickly even under heavy
    /// contention; this bound only turns a bug into an exception instead of a loop.
    /// </summary>
    private const int MaxResolveAttempts = 200;

    /// <summary>
    /// Optimistic and atomic: read the facts (owners of the logins, where the candidate is stored), decide with the
    /// shared <see cref="LoginLinkRules"/>, then write with a script that first re-checks exactly those facts on the
    /// pool's slot and writes nothing when one changed; then decide again. So one login belongs to one identity under
    /// any concurrency, across replicas, and a conflict changes nothing.
    /// </summary>
    public Task<LoginResolution> ResolveLoginsAsync(
        Identity candidate, IReadOnlyList<LoginKey> logins, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(logins);
        var distinct = LoginLinkRules.Distinct(logins);
        return GuardAsync(async () =>
        {
            for (var attempt = 0; attempt < MaxResolveAttempts; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await TryResolveAsync(candidate, distinct, now).ConfigureAwait(false) is { } resolution)
                {
                    return resolution;
                }
            }

            throw new InvalidOperationException($"Logins of pool '{candidate.IdentityPoolId}' kept changing during {MaxResolveAttempts} attempts.");
        });
    }

    /// <returns>Null when the facts changed before the write: decide again.</returns>
    private async Task<LoginResolution?> TryResolveAsync(Identity candidate, IReadOnlyList<LoginKey> logins, DateTimeOffset now)
    {
        var poolId = candidate.IdentityPoolId;
        var owners = await FindOwnersAsync(poolId, logins).ConfigureAwait(false);
        var storedPool = await FindStoredPoolAsync(candidate.IdentityId, poolId).ConfigureAwait(false);
        var unknown = logins.Where(l => !owners.ContainsKey(l)).ToList();
        return LoginLinkRules.ChooseTarget(candidate, storedPool, owners.Values) switch
        {
            LoginLinkTarget.Refuse refuse => Conflict(refuse.Reason),
            LoginLinkTarget.LinkTo link => await TryLinkAsync(poolId, link.IdentityId, unknown, now).ConfigureAwait(false),
            _ => await TryCreateAsync(candidate, unknown).ConfigureAwait(false),
        };
    }

    private async Task<LoginResolution?> TryCreateAsync(Identity candidate, List<LoginKey> logins)
    {
        if (LoginLinkRules.FindProviderClash([], logins) is { } clash)
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

    private async Task<LoginResolution?> TryLinkAsync(string poolId, string identityId, List<LoginKey> unknown, DateTimeOffset now)
    {
        if (await ReadIdentityAsync(poolId, identityId).ConfigureAwait(false) is not { } owner)
        {
            return null; // deleted meanwhile
        }

        if (unknown.Count == 0)
        {
            return new LoginResolution(LoginResolutionKind.Existing, owner.Identity);
        }

        if (LoginLinkRules.FindProviderClash(owner.Identity.Logins, unknown) is { } clash)
        {
            return Conflict(clash);
        }

        var linked = owner.Identity.Logins.Concat(unknown).ToList();
        var keys = _keys.Pool(poolId);
        var arguments = new List<RedisValue> { identityId, owner.LoginsJson, LoginsCodec.Encode(linked), Ticks(now) };
        arguments.AddRange(unknown.Select(l => (RedisValue)RedisKeys.LoginField(l)));
        var status = (string)(await Db.ScriptEvaluateAsync(
            RedisScripts.LinkLogins, [keys.Alive, keys.Logins, keys.Identity(identityId)], [.. arguments]).ConfigureAwait(false))!;
        return status switch
        {
            "ok" => new LoginResolution(LoginResolutionKind.Existing, owner.Identity with { Logins = linked, LastModifiedDate = now }),
            "nopool" => throw new InvalidOperationException($"Identity pool '{poolId}' does not exist."),
            _ => null,
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

    private static LoginResolution Conflict(string reason) => new(LoginResolutionKind.Conflict, null, reason);
}
