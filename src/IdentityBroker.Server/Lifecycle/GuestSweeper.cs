using IdentityBroker.Identities.Lifecycle;
using IdentityBroker.Observability;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Lifecycle;

/// <summary>Runs <see cref="GuestSweep"/> every <see cref="LifecycleOptions.SweepInterval"/> when a guest TTL is set.</summary>
internal sealed partial class GuestSweeper(GuestSweep sweep, IOptions<LifecycleOptions> options, TimeProvider time, ILogger<GuestSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.GuestIdentityTtlDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                if (await sweep.RunAsync(stoppingToken) is { } deleted)
                {
                    LogSwept(logger, deleted);
                }
            }
            catch (StoreUnavailableException e)
            {
                LogSweepFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = LogEvents.GuestsSwept, Level = LogLevel.Information, Message = "Guest sweeper: {Deleted} stale guest identities deleted.")]
    private static partial void LogSwept(ILogger logger, long deleted);

    [LoggerMessage(EventId = LogEvents.GuestSweepFailed, Level = LogLevel.Warning, Message = "Guest sweeper: the store did not answer ({Reason}); next try at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
