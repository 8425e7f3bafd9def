using IdentityBroker.Server.Keys;
using IdentityBroker.Storage;
using IdentityBroker.Tests.Sts;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Tokens;

/// <summary>The hosted schedule rotates a due key at its next tick of the fake clock, with no request involved.</summary>
public sealed class KeyRotationScheduleTests
{
    [Test]
    public async Task A_key_older_than_RotationDays_is_replaced_at_the_next_tick_of_the_schedule()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new AddSignallingKeyStore(new InMemoryKeyStore());
        var ring = new SigningKeyRing(store, Options.Create(new BrokerOptions { Tokens = new TokenOptions { Algorithm = SigningKeyRing.EcdsaAlgorithm, RotationDays = 1 } }), time);
        await ring.LoadAsync(CancellationToken.None);
        var first = ring.Current.Key.KeyId;
        store.Added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        time.Advance(TimeSpan.FromDays(1));
        var scheduleTime = new TimerSignallingTime(time);
        using var schedule = new KeyRotationSchedule(ring, scheduleTime, NullLogger<KeyRotationSchedule>.Instance);
        await schedule.StartAsync(CancellationToken.None);

        // ExecuteAsync runs on a background thread: advance the clock only once its timer exists. The guards only stop
        // a hang; the schedule adds the key at the tick, not after some wall-clock time.
        await scheduleTime.TimerCreated.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(KeyRotationSchedule.Interval);
        await store.Added.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await schedule.StopAsync(CancellationToken.None);

        Assert.That(ring.Current.Key.KeyId, Is.Not.EqualTo(first));
        Assert.That(ring.PublishedKeys.Select(k => k.Key.KeyId), Is.EqualTo(new[] { ring.Current.Key.KeyId, first }));
    }

    /// <summary>The fake clock, telling when the schedule has made its timer.</summary>
    private sealed class TimerSignallingTime(FakeTimeProvider inner) : TimeProvider
    {
        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult();
            return timer;
        }
    }

    private sealed class AddSignallingKeyStore(InMemoryKeyStore inner) : IKeyStore
    {
        public TaskCompletionSource? Added { get; set; }

        public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) => inner.GetKeysAsync(purpose, cancellationToken);

        public async Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
        {
            var added = await inner.TryAddKeyAsync(key, cancellationToken);
            Added?.TrySetResult();
            return added;
        }
    }
}
