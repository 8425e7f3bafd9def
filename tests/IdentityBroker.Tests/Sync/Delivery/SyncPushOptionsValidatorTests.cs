using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Tests.Sync.Delivery;

[TestFixture]
public sealed class SyncPushOptionsValidatorTests
{
    private static IEnumerable<string> Failures(Action<SyncPushOptions> change)
    {
        var options = new SyncPushOptions();
        options.WebhookUrls["GCM"] = "https://push.example.com/gcm";
        change(options);
        return new SyncPushOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Test]
    public void The_defaults_with_an_https_webhook_are_valid() => Assert.That(Failures(_ => { }), Is.Empty);

    [Test]
    public void A_loopback_http_webhook_is_valid() =>
        Assert.That(Failures(o => o.WebhookUrls["APNS"] = "http://127.0.0.1:9000/apns"), Is.Empty);

    [TestCase("http://push.example.com/gcm")]
    [TestCase("push.example.com/gcm")]
    [TestCase("https://user:pass@push.example.com/gcm")]
    [TestCase("ftp://push.example.com/gcm")]
    public void A_webhook_that_is_not_https_or_loopback_http_fails_start_up_naming_the_key(string url) =>
        Assert.That(Failures(o => o.WebhookUrls["GCM"] = url), Has.One.Contains("Broker:Sync:Push:GCM:WebhookUrl"));

    [Test]
    public void An_unknown_platform_fails_start_up() =>
        Assert.That(Failures(o => o.UnknownPlatforms.Add("FCM")), Has.One.Contains("Broker:Sync:Push:FCM is not a push platform"));

    [Test]
    public void Out_of_range_settings_fail_start_up()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Failures(o => o.QueueCapacity = 0), Has.One.Contains("QueueCapacity"));
            Assert.That(Failures(o => o.MaxAttempts = 0), Has.One.Contains("MaxAttempts"));
            Assert.That(Failures(o => o.RetryDelay = TimeSpan.FromMinutes(6)), Has.One.Contains("RetryDelay"));
            Assert.That(Failures(o => o.Timeout = TimeSpan.Zero), Has.One.Contains("Timeout"));
        });
    }
}
