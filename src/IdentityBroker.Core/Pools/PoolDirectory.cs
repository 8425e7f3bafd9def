using System.Collections.Concurrent;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>
/// Pools as the hot path reads them: a small cache in front of the store. Writes through this class invalidate the
/// entry at once; entries also expire after <see cref="Freshness"/> so a change made by another replica is seen
/// within that time.
/// </summary>
public sealed class PoolDirectory(IPoolStore store, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, CachedPool> _cache = new(StringComparer.Ordinal);

    public IPoolStore Store => store;

    public async ValueTask<IdentityPool?> FindAsync(string poolId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(poolId, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Pool;
        }

        var pool = await store.GetPoolAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[poolId] = new CachedPool(pool, now + Freshness);
        return pool;
    }

    public void Invalidate(string poolId) => _cache.TryRemove(poolId, out _);

    private sealed record CachedPool(IdentityPool? Pool, DateTimeOffset ExpiresAt);
}
