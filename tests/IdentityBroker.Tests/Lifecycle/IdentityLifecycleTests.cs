using IdentityBroker.Identities;
using IdentityBroker.Identities.Lifecycle;
using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Lifecycle;

/// <summary>Last seen, bulk deletion and the guest sweeper over a real SQLite store, with a fake clock.</summary>
public sealed class IdentityLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private RecordingAudit _audit = null!;
    private string _directory = null!;
    private SqliteBrokerStore _store = null!;
    private string _poolId = null!;

    [SetUp]
    public async Task CreateStoreAsync()
    {
        // New per test: NUnit runs every test of a fixture on one instance.
        _time = new FakeTimeProvider(T0);
        _audit = new RecordingAudit();
        _directory = Directory.CreateTempSubdirectory("lifecycle-").FullName;
        _store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        _poolId = $"us-east-1:{Guid.NewGuid()}";
        await _store.CreatePoolAsync(new IdentityPool { IdentityPoolId = _poolId, IdentityPoolName = "p", AllowUnauthenticatedIdentities = true, CreationDate = T0 }, default);
    }

    [TearDown]
    public void DisposeStore()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Last_seen_is_written_once_an_hour_per_identity_however_often_it_is_used()
    {
        var guest = await GuestAsync();
        var tracker = new LastSeenTracker(_store, _time);
        _time.Advance(TimeSpan.FromMinutes(10));
        await tracker.SeenAsync(guest, default);
        _time.Advance(TimeSpan.FromMinutes(50));
        await tracker.SeenAsync(guest, default);
        Assert.That(await _store.GetLastSeenAsync(guest, default), Is.EqualTo(T0.AddMinutes(10)), "not rewritten within the hour");

        _time.Advance(TimeSpan.FromMinutes(10));
        await tracker.SeenAsync(guest, default);
        Assert.That(await _store.GetLastSeenAsync(guest, default), Is.EqualTo(T0.AddMinutes(70)));
    }

    [Test]
    public async Task A_bulk_deletion_interrupted_after_a_page_resumes_from_its_stored_cursor_and_audits_every_page()
    {
        var guests = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            guests.Add(await GuestAsync());
        }

        var linked = Candidate() with { Logins = [new LoginKey("accounts.google.com", "g")] };
        await _store.CreateIdentityAsync(linked, default);
        var condition = new BulkDeleteCondition(_poolId, T0.AddDays(1), UnauthenticatedOnly: true, Provider: null);
        var first = await Deletion().RunPageAsync(BulkDeletion.Start(condition), "AKIDADMIN", default);
        Assert.That(first.Done, Is.False);
        Assert.That(first.Deleted, Is.EqualTo(2));

        // A new process: only the job id is known.
        var resumed = await Deletion().LoadAsync(first.JobId, default);
        Assert.That(resumed, Is.EqualTo(first));
        var job = resumed!;
        while (!job.Done)
        {
            job = await Deletion().RunPageAsync(job, "AKIDADMIN", default);
        }

        Assert.That(job.Deleted, Is.EqualTo(5));
        Assert.That(job.Examined, Is.EqualTo(6));
        foreach (var guest in guests)
        {
            Assert.That(await _store.GetIdentityAsync(guest, default), Is.Null);
        }

        Assert.That(await _store.GetIdentityAsync(linked.IdentityId, default), Is.Not.Null, "UnauthenticatedOnly keeps identities with logins");
        Assert.That(_audit.Recorded.SelectMany(r => r).Order(), Is.EqualTo(guests.Order()), "each deleted identity audited once");
    }

    [Test]
    public async Task A_provider_condition_deletes_only_identities_with_that_provider_and_frees_their_logins()
    {
        var google = Candidate() with { Logins = [new LoginKey("accounts.google.com", "g")] };
        var facebook = Candidate() with { Logins = [new LoginKey("graph.facebook.com", "f")] };
        await _store.CreateIdentityAsync(google, default);
        await _store.CreateIdentityAsync(facebook, default);
        await GuestAsync();

        var job = await Deletion().RunPageAsync(
            BulkDeletion.Start(new BulkDeleteCondition(_poolId, T0.AddDays(1), UnauthenticatedOnly: false, Provider: "accounts.google.com")), null, default);
        while (!job.Done)
        {
            job = await Deletion().RunPageAsync(job, null, default);
        }

        Assert.That(job.Deleted, Is.EqualTo(1));
        Assert.That(await _store.FindLoginOwnerAsync(_poolId, new LoginKey("accounts.google.com", "g"), default), Is.Null);
        Assert.That(await _store.GetIdentityAsync(facebook.IdentityId, default), Is.Not.Null);
    }

    [Test]
    public async Task The_sweeper_removes_guests_not_seen_within_the_ttl_and_a_second_replica_waits_for_the_lease()
    {
        var unseen = await GuestAsync();
        var seen = await GuestAsync();
        _time.Advance(TimeSpan.FromDays(20));
        await new LastSeenTracker(_store, _time).SeenAsync(seen, default);
        _time.Advance(TimeSpan.FromDays(20));

        var options = Options.Create(new LifecycleOptions { GuestIdentityTtlDays = 30 });
        var sweep = new GuestSweep(_store, _store, Deletion(), options, _time);
        var other = new GuestSweep(_store, _store, Deletion(), options, _time);

        Assert.That(await sweep.RunAsync(default), Is.EqualTo(1));
        Assert.That(await other.RunAsync(default), Is.Null, "the lease is held by the first replica");
        Assert.That(await _store.GetIdentityAsync(unseen, default), Is.Null);
        Assert.That(await _store.GetIdentityAsync(seen, default), Is.Not.Null);

        _time.Advance(TimeSpan.FromHours(3));
        Assert.That(await other.RunAsync(default), Is.EqualTo(0), "the lease expired: the other replica sweeps");
    }

    [Test]
    public async Task The_sweeper_is_off_by_default()
    {
        await GuestAsync();
        _time.Advance(TimeSpan.FromDays(3650));
        var sweep = new GuestSweep(_store, _store, Deletion(), Options.Create(new LifecycleOptions()), _time);
        Assert.That(await sweep.RunAsync(default), Is.Null);
    }

    private BulkDeletion Deletion() => new(_store, _store, _audit, _time) { PageSize = 2 };

    private Identity Candidate() => new()
    {
        IdentityId = $"us-east-1:{Guid.NewGuid()}", IdentityPoolId = _poolId, CreationDate = _time.GetUtcNow(), LastModifiedDate = _time.GetUtcNow(),
    };

    private async Task<string> GuestAsync()
    {
        var identity = Candidate();
        await _store.CreateIdentityAsync(identity, default);
        return identity.IdentityId;
    }

    private sealed class RecordingAudit : IBulkDeletionAudit
    {
        public List<IReadOnlyList<string>> Recorded { get; } = [];

        public Task RecordAsync(string poolId, IReadOnlyList<string> identityIds, string? actor, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Recorded.Add(identityIds);
            return Task.CompletedTask;
        }
    }
}
