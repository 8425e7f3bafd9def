using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;
using IdentityBroker.Tests.Federation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Sync.Delivery;

/// <summary>Retries and backoff of the push webhook call, on a fake clock; the webhook is a stand-in answering a status list.</summary>
[TestFixture]
public sealed class PushWebhookSenderTests
{
    private static readonly PushSyncNotice Notice = PushSyncNotice.From(CognitoStreamRecordTests.Change());
    private static readonly SyncDevice Target = new(Notice.IdentityPoolId, Notice.IdentityId, "device-b", PushPlatforms.Gcm, "token-b");
    private FakeTimeProvider _time = null!;
    private ScriptedWebhook _webhook = null!;

    [SetUp]
    public void Start()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _webhook = new ScriptedWebhook();
    }

    [TearDown]
    public void Stop() => _webhook.Dispose();

    private PushWebhookSender Sender(int maxAttempts = 4)
    {
        var options = new SyncPushOptions { MaxAttempts = maxAttempts, RetryDelay = TimeSpan.FromSeconds(1) };
        options.WebhookUrls[PushPlatforms.Gcm] = "https://push.example.com/gcm";
        return new PushWebhookSender(new StubHttpClientFactory(_webhook), Options.Create(options), _time);
    }

    [Test]
    public async Task A_delivered_push_posts_the_body_to_the_platforms_webhook_once()
    {
        _webhook.Statuses.Enqueue(HttpStatusCode.OK);
        var failure = await Sender().SendAsync(Target, Notice, CancellationToken.None);

        var request = _webhook.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(request.Url, Is.EqualTo(new Uri("https://push.example.com/gcm")));
            Assert.That((string?)request.Body["token"], Is.EqualTo("token-b"));
            Assert.That((string?)request.Body["payload"]!["data"]!["datasetName"], Is.EqualTo("settings"));
        });
    }

    [Test]
    public void The_delay_before_each_retry_doubles()
    {
        var first = TimeSpan.FromSeconds(1);
        Assert.That(Enumerable.Range(2, 4).Select(a => PushWebhookSender.DelayBefore(a, first)),
            Is.EqualTo(new[] { 1, 2, 4, 8 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public async Task A_failing_webhook_is_retried_until_it_answers_2xx()
    {
        _webhook.Statuses.Enqueue(HttpStatusCode.InternalServerError);
        _webhook.Statuses.Enqueue(HttpStatusCode.TooManyRequests);
        _webhook.Statuses.Enqueue(HttpStatusCode.Accepted);
        var send = Sender().SendAsync(Target, Notice, CancellationToken.None);

        Assert.That(await CompleteAsync(send), Is.Null);
        Assert.That(_webhook.Requests, Has.Count.EqualTo(3));
    }

    /// <summary>Moves the fake clock until the send ends (each retry waits on it).</summary>
    private async Task<string?> CompleteAsync(Task<string?> send)
    {
        for (var i = 0; i < 3000 && !send.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        return await send.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task A_refusal_by_the_receiver_is_final()
    {
        _webhook.Statuses.Enqueue(HttpStatusCode.BadRequest);
        var failure = await Sender().SendAsync(Target, Notice, CancellationToken.None);
        Assert.That(failure, Is.EqualTo("status 400"));
        Assert.That(_webhook.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_attempts_end_at_MaxAttempts_with_the_last_failure()
    {
        for (var i = 0; i < 5; i++)
        {
            _webhook.Statuses.Enqueue(HttpStatusCode.BadGateway);
        }

        var send = Sender(maxAttempts: 2).SendAsync(Target, Notice, CancellationToken.None);
        Assert.That(await CompleteAsync(send), Is.EqualTo("status 502"));
        Assert.That(_webhook.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_platform_without_a_webhook_is_not_called()
    {
        var failure = await Sender().SendAsync(Target with { Platform = PushPlatforms.Apns }, Notice, CancellationToken.None);
        Assert.That(failure, Does.Contain("no webhook"));
        Assert.That(_webhook.Requests, Is.Empty);
    }

    private sealed record ReceivedPush(Uri Url, JsonObject Body);

    private sealed class ScriptedWebhook : HttpMessageHandler
    {
        public ConcurrentQueue<HttpStatusCode> Statuses { get; } = new();

        public ConcurrentQueue<ReceivedPush> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            Requests.Enqueue(new ReceivedPush(request.RequestUri!, body));
            return new HttpResponseMessage(Statuses.TryDequeue(out var status) ? status : HttpStatusCode.OK);
        }
    }
}
