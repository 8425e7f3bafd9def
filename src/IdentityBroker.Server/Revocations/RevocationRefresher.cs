using IdentityBroker.Observability;
using IdentityBroker.Revocations;
using IdentityBroker.Storage;

namespace IdentityBroker.Server.Revocations;

/// <summary>
/// Reads the revocations every <see cref="RevocationList.RefreshInterval"/>, so that one made on another replica refuses
/// its sessions here within a second (docs/revocation.md). Polling, not a message: it needs nothing but the store every
/// deployment has, and a lost read is made good half a second later. While the store does not answer, the last list read
/// stays in force.
/// </summary>
internal sealed partial class RevocationRefresher(RevocationList list, TimeProvider time, ILogger<RevocationRefresher> logger) : BackgroundService
{
    private readonly LogThrottle _failures = new(time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RevocationList.RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await list.RefreshAsync(stoppingToken);
                }
                catch (StoreUnavailableException e)
                {
                    if (_failures.TryTake(out var suppressed))
                    {
                        LogRefreshFailed(logger, e.Message, suppressed);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = LogEvents.RevocationRefreshFailed, Level = LogLevel.Warning,
        Message = "The revocations could not be read ({Reason}; {Suppressed} more since the last line); the last list read stays in force")]
    private static partial void LogRefreshFailed(ILogger logger, string reason, int suppressed);
}
