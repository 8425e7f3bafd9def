using IdentityBroker.Storage;
using IdentityBroker.Tokens;

namespace IdentityBroker.Server.Keys;

/// <summary>
/// Re-reads the signing keys every <see cref="Interval"/>: the ring rotates when <c>Broker:Tokens:RotationDays</c> is due
/// (one replica's key wins in the store, the others read it) and picks up keys other replicas made on demand. A store
/// that does not answer leaves the keys loaded as they are.
/// </summary>
internal sealed class KeyRotationSchedule(SigningKeyRing ring, TimeProvider time, ILogger<KeyRotationSchedule> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var before = ring.Current.Key.KeyId;
                try
                {
                    await ring.LoadAsync(stoppingToken);
                }
                catch (StoreUnavailableException)
                {
                    // Retried at the next tick; the loaded keys keep signing and verifying meanwhile.
                    continue;
                }

                if (ring.Current.Key.KeyId != before)
                {
                    KeyRotationApi.LogRotated(logger, ring.Current.Key.KeyId, "schedule or another replica");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
