using System.Text.Json;
using IdentityBroker.Pools;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    private const int PurgeBatch = 500;

    /// <remarks>
    /// Two steps on two slots: open the pool's slot to identities, then publish the document and its listing
    /// position in one script. Interrupted in between, the pool is invisible and a later create starts over.
    /// </remarks>
    public Task CreatePoolAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return GuardAsync(async () =>
        {
            var id = pool.IdentityPoolId;
            if (await Db.HashExistsAsync(_keys.PoolDocuments, id).ConfigureAwait(false))
            {
                throw PoolExists(id);
            }

            await Db.StringSetAsync(_keys.Pool(id).Alive, "1").ConfigureAwait(false);
            var created = (long)await Db.ScriptEvaluateAsync(
                RedisScripts.CreatePool,
                [_keys.PoolDocuments, _keys.PoolOrder, _keys.PoolSequence],
                [id, Serialize(pool)]).ConfigureAwait(false);
            if (created != 1)
            {
                throw PoolExists(id);
            }
        });
    }

    public Task<IdentityPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.PoolDocuments, poolId).ConfigureAwait(false);
            return document.IsNull ? null : DeserializePool(document!);
        });

    public Task<bool> UpdatePoolAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return GuardAsync(async () =>
        {
            var updated = (long)await Db.ScriptEvaluateAsync(
                RedisScripts.ReplaceField, [_keys.PoolDocuments], [pool.IdentityPoolId, Serialize(pool)]).ConfigureAwait(false) == 1;
            if (updated)
            {
                PublishPoolChange(pool.IdentityPoolId);
            }

            return updated;
        });
    }

    /// <remarks>
    /// Closes the pool's slot to new identities first, then removes the document (the pool is gone for every reader),
    /// then deletes its identities in batches. Each step runs even when the pool is already gone, so repeating an
    /// interrupted delete finishes it.
    /// </remarks>
    public Task<bool> DeletePoolAsync(string poolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var keys = _keys.Pool(poolId);
            await Db.KeyDeleteAsync(keys.Alive).ConfigureAwait(false);
            var existed = (long)await Db.ScriptEvaluateAsync(
                RedisScripts.DeletePoolDocument, [_keys.PoolDocuments, _keys.PoolOrder], [poolId]).ConfigureAwait(false) == 1;
            PublishPoolChange(poolId);
            await PurgePoolAsync(keys).ConfigureAwait(false);
            return existed;
        });

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<IdentityPool>> ListPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.Pools, nextToken);
        return GuardAsync(async () =>
        {
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListPools,
                [_keys.PoolDocuments, _keys.PoolOrder],
                [Text(after), Text(maxResults + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(maxResults).Select(r => DeserializePool((string)((RedisResult[])r!)[2]!)).ToList();
            var token = rows.Length > maxResults
                ? PageCursor.Encode(PageCursorKind.Pools, Position(((RedisResult[])rows[maxResults - 1]!)[1]))
                : null;
            return new Page<IdentityPool>(items, token);
        });
    }

    public Task<int> CountPoolsAsync(CancellationToken cancellationToken) =>
        GuardAsync(async () => (int)await Db.HashLengthAsync(_keys.PoolDocuments).ConfigureAwait(false));

    private async Task PurgePoolAsync(PoolKeys keys)
    {
        while (true)
        {
            var deleted = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.PurgePool,
                [keys.Alive, keys.Sequence, keys.Identities, keys.Enabled, keys.Logins, keys.Guests],
                [keys.IdentityPrefix, PurgeBatch]).ConfigureAwait(false))!;
            if (deleted.Length == 0)
            {
                return;
            }

            // The id index lives on other slots; an entry left behind (by a crash here) points at a pool slot that no
            // longer holds the identity, which readers treat as "not found".
            // One DEL per key: a multi-key DEL would span slots in a cluster.
            var db = Db;
            await Task.WhenAll(deleted.Select(id => db.KeyDeleteAsync(_keys.IdentityIndex((string)id!)))).ConfigureAwait(false);
        }
    }

    private static InvalidOperationException PoolExists(string poolId) =>
        new($"Identity pool '{poolId}' already exists.");

    private static string Serialize(IdentityPool pool) => JsonSerializer.Serialize(pool, StoreJsonContext.Default.IdentityPool);

    private static IdentityPool DeserializePool(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.IdentityPool)
        ?? throw new InvalidDataException("A stored identity pool document is null.");
}
