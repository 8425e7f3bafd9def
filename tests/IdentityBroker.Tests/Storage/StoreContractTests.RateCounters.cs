namespace IdentityBroker.Tests.Storage;

/// <summary>The rate-limit counters (docs/limits.md): a fixed window per key, the same on both stores.</summary>
public abstract partial class StoreContractTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Test]
    public async Task A_rate_counter_admits_the_limit_then_refuses_until_the_window_ends()
    {
        var key = "test:" + Guid.NewGuid();
        var start = T0.AddSeconds(10);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await Store.RateCounter.TryCountAsync(key, 3, Minute, start.AddSeconds(i), None), Is.Null, $"count {i + 1}");
        }

        var refused = await Store.RateCounter.TryCountAsync(key, 3, Minute, start.AddSeconds(5), None);
        Assert.That(refused, Is.EqualTo(TimeSpan.FromSeconds(45)), "the rest of the window");
        Assert.That(await Store.RateCounter.TryCountAsync(key, 3, Minute, T0.AddMinutes(1), None), Is.Null, "a new window");
    }

    [Test]
    public async Task Rate_counters_of_different_keys_are_independent()
    {
        var a = "test:" + Guid.NewGuid();
        var b = "test:" + Guid.NewGuid();
        Assert.That(await Store.RateCounter.TryCountAsync(a, 1, Minute, T0, None), Is.Null);
        Assert.That(await Store.RateCounter.TryCountAsync(a, 1, Minute, T0, None), Is.Not.Null);
        Assert.That(await Store.RateCounter.TryCountAsync(b, 1, Minute, T0, None), Is.Null);
    }
}
