using IdentityBroker.Tests.Sts;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Tokens;

/// <summary>The broker's signing keys rotate on schedule and on demand; replaced keys stay published while their tokens live (fake clock).</summary>
/// <remarks>One instance per test: each test starts from an empty store and its own clock.</remarks>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SigningKeyRotationTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryKeyStore _store = new();

    private SigningKeyRing Ring(int rotationDays = 30) =>
        new(_store, Options.Create(new BrokerOptions { Tokens = new TokenOptions { Algorithm = SigningKeyRing.EcdsaAlgorithm, RotationDays = rotationDays } }), _time);

    private static List<string> Published(SigningKeyRing ring) => [.. ring.PublishedKeys.Select(k => k.Key.KeyId!)];

    [Test]
    public async Task The_key_rotates_when_due_and_the_replaced_key_stays_published_until_its_tokens_have_expired()
    {
        var ring = Ring();
        await ring.LoadAsync(CancellationToken.None);
        var first = ring.Current.Key.KeyId;

        _time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        await ring.LoadAsync(CancellationToken.None);
        Assert.That(ring.Current.Key.KeyId, Is.EqualTo(first), "not due yet");

        _time.Advance(TimeSpan.FromSeconds(1));
        await ring.LoadAsync(CancellationToken.None);
        var second = ring.Current.Key.KeyId;
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(Published(ring), Is.EqualTo(new[] { second, first }), "newest first; the replaced key still verifies");

        _time.Advance(SigningKeyRing.Retention - TimeSpan.FromSeconds(1));
        await ring.LoadAsync(CancellationToken.None);
        Assert.That(Published(ring), Does.Contain(first));

        _time.Advance(TimeSpan.FromSeconds(1));
        await ring.LoadAsync(CancellationToken.None);
        Assert.That(Published(ring), Is.EqualTo(new[] { second }), "gone once every token it signed has expired");
    }

    [Test]
    public async Task Replicas_due_at_once_agree_on_one_new_key_through_the_store()
    {
        var a = Ring();
        var b = Ring();
        await a.LoadAsync(CancellationToken.None);
        await b.LoadAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(31));
        await Task.WhenAll(a.LoadAsync(CancellationToken.None), b.LoadAsync(CancellationToken.None));
        await a.LoadAsync(CancellationToken.None);

        Assert.That(b.Current.Key.KeyId, Is.EqualTo(a.Current.Key.KeyId));
        Assert.That((await _store.GetKeysAsync(SigningKeyRing.Purpose, CancellationToken.None)).Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Replicas_starting_on_an_empty_store_at_once_adopt_the_one_key_the_store_kept()
    {
        // Both rings read the empty store before either writes: the store alone decides which initial key wins.
        var store = new BothReadFirstKeyStore(_store);
        var options = Options.Create(new BrokerOptions { Tokens = new TokenOptions { Algorithm = SigningKeyRing.EcdsaAlgorithm } });
        var a = new SigningKeyRing(store, options, _time);
        var b = new SigningKeyRing(store, options, _time);

        await Task.WhenAll(a.LoadAsync(CancellationToken.None), b.LoadAsync(CancellationToken.None));

        Assert.That((await _store.GetKeysAsync(SigningKeyRing.Purpose, CancellationToken.None)).Count, Is.EqualTo(1));
        Assert.That(Published(a), Is.EqualTo(Published(b)));
        Assert.That(b.Current.Key.KeyId, Is.EqualTo(a.Current.Key.KeyId));
    }

    [Test]
    public async Task Rotation_on_demand_signs_with_the_new_key_at_once_and_another_replica_learns_it_from_an_unknown_kid()
    {
        var a = Ring(rotationDays: 0);
        var b = Ring(rotationDays: 0);
        await a.LoadAsync(CancellationToken.None);
        await b.LoadAsync(CancellationToken.None);
        var old = a.Current.Key.KeyId;

        var rotated = await a.RotateAsync(CancellationToken.None);

        Assert.That(a.Current.Key.KeyId, Is.EqualTo(rotated));
        Assert.That(Published(a), Is.EqualTo(new[] { rotated, old }));
        Assert.That(b.Current.Key.KeyId, Is.EqualTo(old), "B has not read the store yet");
        Assert.That(await b.KnowsAsync(rotated, CancellationToken.None), Is.True, "an unknown kid makes B read the store");
        Assert.That(b.Current.Key.KeyId, Is.EqualTo(rotated));
        Assert.That(await b.KnowsAsync("made-up", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Without_a_schedule_the_key_is_never_replaced()
    {
        var ring = Ring(rotationDays: 0);
        await ring.LoadAsync(CancellationToken.None);
        var first = ring.Current.Key.KeyId;

        _time.Advance(TimeSpan.FromDays(3650));
        await ring.LoadAsync(CancellationToken.None);

        Assert.That(ring.Current.Key.KeyId, Is.EqualTo(first));
    }

    /// <summary>Holds the first two reads until both have arrived, so that two rings both find the store empty.</summary>
    private sealed class BothReadFirstKeyStore(InMemoryKeyStore inner) : IdentityBroker.Storage.IKeyStore
    {
        private readonly TaskCompletionSource _bothArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public async Task<IReadOnlyList<IdentityBroker.Storage.StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken)
        {
            var keys = await inner.GetKeysAsync(purpose, cancellationToken);
            var read = Interlocked.Increment(ref _reads);
            if (read == 2)
            {
                _bothArrived.SetResult();
            }

            if (read <= 2)
            {
                await _bothArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return keys;
        }

        public Task<bool> TryAddKeyAsync(IdentityBroker.Storage.StoredKey key, CancellationToken cancellationToken) => inner.TryAddKeyAsync(key, cancellationToken);
    }
}
