using IdentityBroker.Identities;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    /// <exception cref="InvalidOperationException">The pool does not exist, the id is taken, or a login is linked already.</exception>
    public Task CreateIdentityAsync(Identity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return GuardAsync(async () =>
        {
            if (await FindStoredPoolAsync(identity.IdentityId, identity.IdentityPoolId).ConfigureAwait(false) is not null)
            {
                throw new InvalidOperationException($"Identity '{identity.IdentityId}' already exists.");
            }

            var status = await InsertIdentityAsync(identity, identity.Logins.Distinct().ToList()).ConfigureAwait(false);
            switch (status)
            {
                case "ok":
                    return;
                case "nopool":
                    throw new InvalidOperationException($"Identity pool '{identity.IdentityPoolId}' does not exist.");
                case "exists":
                    throw new InvalidOperationException($"Identity '{identity.IdentityId}' already exists.");
                default:
                    throw new InvalidOperationException("A login of the identity is already linked to another identity.");
            }
        });
    }

    /// <summary>
    /// One round trip when this store has seen the identity before: an identity never changes pools, so its pool id is
    /// remembered (<see cref="IdentityPools"/>) and the identity is read from that pool's slot at once; the id index is
    /// read only for an identity not remembered or not found there (deleted, or its id reused in another pool). On a
    /// single Redis node the index and the identity are one script (one round trip); on a Cluster they are two.
    /// </summary>
    public Task<Identity?> GetIdentityAsync(string identityId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            if (_identityPools.Find(identityId) is { } remembered
                && await ReadIdentityAsync(remembered, identityId).ConfigureAwait(false) is { } found)
            {
                return found.Identity;
            }

            if (IsSingleNode())
            {
                try
                {
                    return await ReadIndexedIdentityAsync(identityId).ConfigureAwait(false);
                }
                catch (RedisServerException)
                {
                    // A Cluster node refuses keys of another slot: the topology was taken for one node while still unknown.
                    // From now on the two-step read below (which raises any other server error again).
                    MarkNotSingleNode();
                }
            }

            var poolId = await Db.StringGetAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
            if (poolId.IsNull)
            {
                return null;
            }

            var stored = await ReadIdentityAsync((string)poolId!, identityId).ConfigureAwait(false);
            if (stored is not null)
            {
                _identityPools.Remember(identityId, (string)poolId!);
            }

            return stored?.Identity;
        });

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<Identity>> ListIdentitiesAsync(
        string poolId, int maxResults, string? nextToken, bool hideDisabled, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.Identities, nextToken);
        return GuardAsync(async () =>
        {
            var keys = _keys.Pool(poolId);
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListIdentities,
                [hideDisabled ? keys.Enabled : keys.Identities],
                [keys.IdentityPrefix, Text(after), Text(maxResults + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(maxResults).Select(r =>
            {
                var row = (RedisResult[])r!;
                return ToIdentity((string)row[0]!, poolId, row[2..]);
            }).ToList();
            var token = rows.Length > maxResults
                ? PageCursor.Encode(PageCursorKind.Identities, Position(((RedisResult[])rows[maxResults - 1]!)[1]))
                : null;
            return new Page<Identity>(items, token);
        });
    }

    public Task<bool> DeleteIdentityAsync(string identityId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var poolId = await Db.StringGetAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
            if (poolId.IsNull)
            {
                return false;
            }

            var keys = _keys.Pool((string)poolId!);
            var deleted = (long)await Db.ScriptEvaluateAsync(
                RedisScripts.DeleteIdentity,
                [keys.Identities, keys.Enabled, keys.Logins, keys.Identity(identityId), keys.Guests],
                [identityId]).ConfigureAwait(false) == 1;

            // After the script: an index entry without its identity reads as "not found" (see PurgePoolAsync).
            await Db.KeyDeleteAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
            return deleted;
        });

    /// <summary>
    /// Records the identity's pool in the id index, then creates it with its logins in one script on the pool's slot.
    /// When the script refuses (or the process dies in between), the index entry points at a pool that does not hold
    /// the identity, which every reader treats as "not found".
    /// </summary>
    private async Task<string> InsertIdentityAsync(Identity identity, IReadOnlyList<LoginKey> logins, long? maxGuests = null)
    {
        var keys = _keys.Pool(identity.IdentityPoolId);
        await Db.StringSetAsync(_keys.IdentityIndex(identity.IdentityId), identity.IdentityPoolId).ConfigureAwait(false);
        var arguments = new List<RedisValue>
        {
            identity.IdentityId,
            Ticks(identity.CreationDate),
            Ticks(identity.LastModifiedDate),
            identity.Disabled ? "1" : "0",
            LoginsCodec.Encode(logins),
            maxGuests is { } max ? max : "",
        };
        arguments.AddRange(logins.Select(l => (RedisValue)RedisKeys.LoginField(l)));
        var status = (string)(await Db.ScriptEvaluateAsync(
            RedisScripts.CreateIdentity,
            [keys.Alive, keys.Sequence, keys.Identities, keys.Enabled, keys.Logins, keys.Identity(identity.IdentityId), keys.Guests],
            [.. arguments]).ConfigureAwait(false))!;
        if (status == "ok")
        {
            // The replica that created the identity reads it next (GetCredentialsForIdentity after GetId): one round trip.
            _identityPools.Remember(identity.IdentityId, identity.IdentityPoolId);
        }

        return status;
    }

    private async Task<Identity?> ReadIndexedIdentityAsync(string identityId)
    {
        var (head, tail) = _keys.PoolSlotPattern;
        var result = await Db.ScriptEvaluateAsync(
            RedisScripts.ReadIndexedIdentity, [_keys.IdentityIndex(identityId)], [head, tail, identityId]).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var fields = (RedisResult[])result!;
        var poolId = (string)fields[0]!;
        _identityPools.Remember(identityId, poolId);
        return ToIdentity(identityId, poolId, fields[1..]);
    }

    /// <summary>The identity and its logins exactly as stored (the JSON is the version the link script compares).</summary>
    private async Task<StoredIdentity?> ReadIdentityAsync(string poolId, string identityId)
    {
        var keys = _keys.Pool(poolId);
        var result = await Db.ScriptEvaluateAsync(
            RedisScripts.ReadIdentity, [keys.Alive, keys.Identity(identityId)]).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var fields = (RedisResult[])result!;
        return new StoredIdentity(ToIdentity(identityId, poolId, fields), (byte[])fields[3]!);
    }

    /// <summary>
    /// The pool holding <paramref name="identityId"/>: <paramref name="likelyPoolId"/> is checked first (one read),
    /// then the id index. Null when no pool holds it.
    /// </summary>
    private async Task<string?> FindStoredPoolAsync(string identityId, string likelyPoolId)
    {
        if (await Db.KeyExistsAsync(_keys.Pool(likelyPoolId).Identity(identityId)).ConfigureAwait(false))
        {
            return likelyPoolId;
        }

        var indexed = await Db.StringGetAsync(_keys.IdentityIndex(identityId)).ConfigureAwait(false);
        if (indexed.IsNull || (string)indexed! == likelyPoolId)
        {
            return null;
        }

        return await ReadIdentityAsync((string)indexed!, identityId).ConfigureAwait(false) is null ? null : (string)indexed!;
    }

    /// <param name="fields">created, modified, disabled, logins JSON.</param>
    /// <remarks>Read from the reply's bytes (no text copies): every GetCredentialsForIdentity makes one.</remarks>
    private static Identity ToIdentity(string identityId, string poolId, RedisResult[] fields) => new()
    {
        IdentityId = identityId,
        IdentityPoolId = poolId,
        CreationDate = new DateTimeOffset((long)fields[0], TimeSpan.Zero),
        LastModifiedDate = new DateTimeOffset((long)fields[1], TimeSpan.Zero),
        Disabled = (long)fields[2] == 1,
        Logins = LoginsCodec.Decode(((ReadOnlyMemory<byte>)(RedisValue)fields[3]).Span),
    };

    /// <param name="LoginsJson">The logins value exactly as read: the version the link script compares byte for byte.</param>
    private sealed record StoredIdentity(Identity Identity, byte[] LoginsJson);
}
