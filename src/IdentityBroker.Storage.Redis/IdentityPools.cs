using System.Collections.Concurrent;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The pool of each identity this store has read, so that reading it again is one round trip to the pool's slot
/// instead of two (the id index, then the identity). Safe without invalidation: an identity never moves to another
/// pool, and a remembered pool that no longer holds the identity only sends the reader back to the index. Bounded: at
/// the limit it starts over, as <c>LastSeenTracker</c> does.
/// </summary>
internal sealed class IdentityPools
{
    internal const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, string> _pools = new(StringComparer.Ordinal);

    public string? Find(string identityId) => _pools.TryGetValue(identityId, out var poolId) ? poolId : null;

    public void Remember(string identityId, string poolId)
    {
        if (_pools.Count >= MaxRemembered)
        {
            _pools.Clear();
        }

        _pools[identityId] = poolId;
    }
}
