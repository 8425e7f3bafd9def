using IdentityBroker.Storage.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>The Redis store's own settings, checked at start when Broker:Store is redis, each failure naming its key.</summary>
public sealed class RedisStoreOptionsValidationTests
{
    [Test]
    public void Valid_settings_pass() =>
        Assert.That(Failures(_ => { }), Is.Empty);

    [Test]
    public void A_missing_configuration_string_is_named() =>
        Assert.That(Failures(o => o.Configuration = " "), Has.One.StartsWith("Broker:Redis:Configuration is required"));

    [Test]
    public void An_empty_key_prefix_is_named() =>
        Assert.That(Failures(o => o.KeyPrefix = ""), Has.One.StartsWith("Broker:Redis:KeyPrefix"));

    [TestCase(0)]
    [TestCase(31_000)]
    public void An_operation_timeout_outside_zero_to_30_seconds_is_named(int milliseconds) =>
        Assert.That(Failures(o => o.OperationTimeout = TimeSpan.FromMilliseconds(milliseconds)), Has.One.StartsWith("Broker:Redis:OperationTimeout"));

    [TestCase(-1)]
    [TestCase(301)]
    public void A_startup_retry_delay_outside_zero_to_5_minutes_is_named(int seconds) =>
        Assert.That(Failures(o => o.StartupRetryMaxDelay = TimeSpan.FromSeconds(seconds)), Has.One.StartsWith("Broker:Redis:StartupRetryMaxDelay"));

    private static IEnumerable<string> Failures(Action<RedisStoreOptions> change)
    {
        var options = new RedisStoreOptions { Configuration = "redis:6379" };
        change(options);
        return new RedisStoreOptionsValidation().Validate(null, options).Failures ?? [];
    }
}
