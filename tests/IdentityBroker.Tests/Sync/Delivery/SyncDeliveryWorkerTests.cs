using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Server.Sync.Delivery;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;
using IdentityBroker.Tests.Federation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Sync.Delivery;

/// <summary>The push and bulk publish workers over a real SQLite store and a fake clock.</summary>
[TestFixture]
public sealed class SyncDeliveryWorkerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ib-syncout-{Guid.NewGuid():N}");
    private SqliteBrokerStore _store = null!;
    private FakeTimeProvider _time = null!;
    private string _poolId = null!;

    [SetUp]
    public async Task CreateStoreAsync()
    {
        Directory.CreateDirectory(_root);
        _store = new SqliteBrokerStore(Path.Combine(_root, $"{Guid.NewGuid():N}.db"));
        _time = new FakeTimeProvider(T0);
        _poolId = $"us-east-1:{Guid.NewGuid()}";
        await _store.CreatePoolAsync(new IdentityPool { IdentityPoolId = _poolId, IdentityPoolName = "p", AllowUnauthenticatedIdentities = true, CreationDate = T0 }, default);
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [OneTimeTearDown]
    public void DeleteFiles()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<string> IdentityWithDatasetsAsync(params string[] datasets)
    {
        var identity = new Identity { IdentityId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolId = _poolId, CreationDate = T0, LastModifiedDate = T0 };
        await _store.CreateIdentityAsync(identity, default);
        foreach (var name in datasets)
        {
            await _store.UpdateRecordsAsync(new SyncWrite(_poolId, identity.IdentityId, name, "d", identity.IdentityId,
                [new SyncRecordPatch("k", name + "-value", 0, null)], T0, SyncLimits.Cognito), default);
        }

        return identity.IdentityId;
    }

    private Task EnableStreamsAsync() => _store.PutSyncSettingsAsync(new SyncPoolSettings
    {
        IdentityPoolId = _poolId,
        CognitoStreams = new SyncStreamSettings("s", "arn:aws:iam::000000000000:role/r", SyncStreamSettings.Enabled),
    }, default);

    private (SyncBulkPublisher Publisher, BulkPublishWorker Worker) BulkPublishing()
    {
        var publisher = new SyncBulkPublisher(_store, _store, _time);
        return (publisher, new BulkPublishWorker(publisher, _store, _store, _time, NullLogger<BulkPublishWorker>.Instance));
    }

    [Test]
    public async Task Bulk_publish_needs_streams_enabled_and_reports_not_started_before()
    {
        var (publisher, _) = BulkPublishing();
        Assert.That((await publisher.GetDetailsAsync(_poolId, default)).Value.Status, Is.EqualTo(BulkPublishStatus.NotStarted));
        Assert.That((await publisher.StartAsync(_poolId, default)).Error?.Type, Is.EqualTo("InvalidParameterException"));
    }

    [Test]
    public async Task Bulk_publish_puts_every_dataset_on_the_stream_succeeds_and_refuses_a_repeat_for_24_hours()
    {
        var identity = await IdentityWithDatasetsAsync("a", "b");
        await EnableStreamsAsync();
        var (publisher, worker) = BulkPublishing();

        Assert.That((await publisher.StartAsync(_poolId, default)).IsSuccess, Is.True);
        Assert.That((await publisher.StartAsync(_poolId, default)).Error?.Type, Is.EqualTo("DuplicateRequestException"));
        Assert.That((await publisher.GetDetailsAsync(_poolId, default)).Value.Status, Is.EqualTo(BulkPublishStatus.InProgress));
        _time.Advance(TimeSpan.FromSeconds(3));
        await worker.RunAsync(_poolId, default);

        var details = (await publisher.GetDetailsAsync(_poolId, default)).Value;
        Assert.That(details, Is.EqualTo(new BulkPublishDetails(_poolId, BulkPublishStatus.Succeeded, T0, T0.AddSeconds(3), null)));
        var stream = await _store.ReadSyncStreamAsync(_poolId, null, 100, default);
        Assert.That(stream.Select(e => (e.Change.IdentityId, e.Change.DatasetName, e.Change.Records.Single().Value)),
            Is.EqualTo(new[] { (identity, "a", (string?)"a-value"), (identity, "b", (string?)"b-value") }));
        _time.Advance(TimeSpan.FromHours(23));
        Assert.That((await publisher.StartAsync(_poolId, default)).Error?.Type, Is.EqualTo("AlreadyStreamedException"));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.That((await publisher.StartAsync(_poolId, default)).IsSuccess, Is.True, "24 hours after the success");
    }

    [Test]
    public async Task A_publish_stopped_mid_way_resumes_at_its_cursor_and_publishes_each_dataset_once()
    {
        await IdentityWithDatasetsAsync("a", "b", "c");
        await EnableStreamsAsync();
        var (publisher, worker) = BulkPublishing();
        await publisher.StartAsync(_poolId, default);
        var first = await _store.ReadSyncSnapshotAsync(_poolId, null, 1, default);
        Assert.That(await _store.AppendBulkPublishAsync(_poolId, null, first, default), Is.True, "a first process got this far");

        await worker.SweepAsync(default);

        var names = (await _store.ReadSyncStreamAsync(_poolId, null, 100, default)).Select(e => e.Change.DatasetName);
        Assert.That(names, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That((await _store.GetBulkPublishAsync(_poolId, default))!.PublishedDatasets, Is.EqualTo(3));
    }

    [Test]
    public async Task A_publish_whose_streams_were_disabled_fails_with_a_message()
    {
        await IdentityWithDatasetsAsync("a");
        await EnableStreamsAsync();
        var (publisher, worker) = BulkPublishing();
        await publisher.StartAsync(_poolId, default);
        await _store.PutSyncSettingsAsync(new SyncPoolSettings { IdentityPoolId = _poolId }, default);

        await worker.RunAsync(_poolId, default);

        var details = (await publisher.GetDetailsAsync(_poolId, default)).Value;
        Assert.That(details.Status, Is.EqualTo(BulkPublishStatus.Failed));
        Assert.That(details.FailureMessage, Does.Contain("disabled"));
    }

    [Test]
    public async Task A_change_notifies_the_other_subscribed_devices_and_not_the_writer()
    {
        var identity = await IdentityWithDatasetsAsync();
        foreach (var (device, platform) in new[] { ("writer", "GCM"), ("tablet", "APNS"), ("tv", "ADM"), ("unsubscribed", "GCM") })
        {
            await _store.PutDeviceAsync(new SyncDevice(_poolId, identity, device, platform, device + "-token"), default);
            if (device != "unsubscribed")
            {
                await _store.SetSubscriptionAsync(_poolId, identity, "prefs", device, true, default);
            }
        }

        var webhook = new RecordingWebhook();
        var options = new SyncPushOptions();
        options.WebhookUrls["GCM"] = "https://push.example.com/gcm";
        options.WebhookUrls["APNS"] = "https://push.example.com/apns";
        var sender = new PushWebhookSender(new StubHttpClientFactory(webhook), Options.Create(options), _time);
        var worker = new PushSyncWorker(new PushSyncQueue(Options.Create(options), _time, NullLogger<PushSyncQueue>.Instance), _store, sender, _time,
            NullLogger<PushSyncWorker>.Instance);

        await worker.NotifyAsync(new SyncChange(_poolId, identity, "prefs", 4, "writer", [], SyncChangeKind.Update, T0), default);

        Assert.That(webhook.Bodies.Select(b => (string?)System.Text.Json.Nodes.JsonNode.Parse(b)!["token"]), Is.EquivalentTo(new[] { "tablet-token" }),
            "the writer is not told, ADM has no webhook, the unsubscribed device is not told");
    }

    private sealed class RecordingWebhook : HttpMessageHandler
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Bodies { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Enqueue(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
