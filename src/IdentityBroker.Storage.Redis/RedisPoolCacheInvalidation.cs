using IdentityBroker.Pools;
using Microsoft.Extensions.Hosting;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// Keeps this replica's <see cref="PoolDirectory"/> coherent with the others: a pool changed anywhere is dropped
/// from the cache as soon as the change is published. The cache's own one-second freshness remains the bound when a
/// message is lost (for instance while the connection to Redis is being re-established).
/// </summary>
/// <remarks>
/// Redis down at start does not stop the broker: subscribing is retried every second until Redis answers (the
/// client restores the subscription by itself after later reconnects). Invalidating twice is harmless, so a handler
/// the client kept from a failed attempt does no damage.
/// </remarks>
public sealed class RedisPoolCacheInvalidation(RedisBrokerStore store, PoolDirectory directory, TimeProvider time) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _subscribing = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TrySubscribeAsync().ConfigureAwait(false))
        {
            _subscribing = SubscribeUntilAnsweredAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _subscribing.WaitAsync(cancellationToken).ConfigureAwait(false);
            await store.UnsubscribePoolChangesAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or StoreUnavailableException)
        {
            // Stopping while Redis is down: there is no subscription on the server to end.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SubscribeUntilAnsweredAsync(CancellationToken stopping)
    {
        do
        {
            await Task.Delay(RetryDelay, time, stopping).ConfigureAwait(false);
        }
        while (!await TrySubscribeAsync().ConfigureAwait(false));
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            await store.SubscribePoolChangesAsync(directory.Invalidate).ConfigureAwait(false);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }
}
