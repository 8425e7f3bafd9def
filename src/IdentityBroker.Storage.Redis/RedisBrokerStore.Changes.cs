using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    /// <summary>
    /// Tells every replica that a pool changed (<see cref="RedisPoolCacheInvalidation"/>), so their pool caches drop
    /// it at once instead of after their freshness interval. Fire and forget: the change is already committed, and a
    /// lost message only means the interval applies.
    /// </summary>
    private void PublishPoolChange(string poolId) =>
        _connection.GetSubscriber().Publish(PoolChanges, poolId, CommandFlags.FireAndForget);

    private RedisChannel PoolChanges => RedisChannel.Literal(_keys.PoolChangesChannel);

    /// <summary>Calls <paramref name="onChange"/> with the id of every pool updated or deleted through any replica.</summary>
    public Task SubscribePoolChangesAsync(Action<string> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        return GuardAsync(() => _connection.GetSubscriber().SubscribeAsync(PoolChanges, (_, poolId) =>
        {
            if (!poolId.IsNullOrEmpty)
            {
                onChange((string)poolId!);
            }
        }));
    }

    public Task UnsubscribePoolChangesAsync() =>
        GuardAsync(() => _connection.GetSubscriber().UnsubscribeAsync(PoolChanges));
}
