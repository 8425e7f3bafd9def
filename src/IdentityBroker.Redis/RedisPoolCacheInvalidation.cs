using IdentityBroker.Pools;
using Microsoft.Extensions.Hosting;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// Keeps this replica's <see cref="PoolDirectory"/> coherent with the others: a pool changed anywhere is dropped
/// from the cache as soon as the change is published. The cache's own one-second freshness remains the bound when a
/// message is lost (for instance while the connection to Redis is being re-established).
/// </summary>
public sealed class RedisPoolCacheInvalidation(RedisBrokerStore store, PoolDirectory directory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.SubscribePoolChangesAsync(directory.Invalidate);

    public Task StopAsync(CancellationToken cancellationToken) => store.UnsubscribePoolChangesAsync();
}
