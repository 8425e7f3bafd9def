using System.Threading.Channels;
using IdentityBroker.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// Push sync's entry: told of each committed change on the request's thread, it only queues the change (bounded,
/// <see cref="SyncPushOptions.QueueCapacity"/>); the delivery worker looks the devices up and calls the webhooks. With no
/// webhook configured nothing is queued. A full queue drops the change's notifications, logged with a count (throttled):
/// a silent push only tells a device to sync sooner, and the request never waits for it.
/// </summary>
public sealed partial class PushSyncQueue : ISyncChangeObserver
{
    private readonly Channel<SyncChange> _queue;
    private readonly bool _enabled;
    private readonly LogThrottle _dropLog;
    private readonly ILogger<PushSyncQueue> _logger;

    public PushSyncQueue(IOptions<SyncPushOptions> options, TimeProvider time, ILogger<PushSyncQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _enabled = options.Value.WebhookUrls.Count > 0;
        _queue = Channel.CreateBounded<SyncChange>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
            SingleWriter = false,
        });
        _dropLog = new LogThrottle(time);
        _logger = logger;
    }

    public ChannelReader<SyncChange> Reader => _queue.Reader;

    public void OnChangeCommitted(SyncChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_enabled && !_queue.Writer.TryWrite(change) && _dropLog.TryTake(out var suppressed))
        {
            LogDropped(_logger, suppressed + 1);
        }
    }

    /// <summary>No more changes (the broker is stopping): the worker delivers what is queued and ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    [LoggerMessage(EventId = LogEvents.SyncPushDropped, Level = LogLevel.Warning,
        Message = "Push sync queue full: {Count} changes were not notified to their devices")]
    private static partial void LogDropped(ILogger logger, int count);
}
