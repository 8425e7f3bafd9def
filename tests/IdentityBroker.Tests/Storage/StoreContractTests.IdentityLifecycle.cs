using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

/// <summary>The identity lifecycle (docs/identities.md, "Lifecycle"): last seen, conditional deletes, the sweeper's lease, job cursors.</summary>
public abstract partial class StoreContractTests
{
    private IIdentityLifecycleStore Lifecycle => Store.Lifecycle ?? throw new AssertionException("The store has no identity lifecycle store.");

    [Test]
    public async Task Last_seen_is_the_creation_time_until_recorded_and_null_for_an_unknown_identity()
    {
        var pool = await CreatePoolAsync();
        var guest = await CreateIdentityAsync(pool.IdentityPoolId);
        Assert.That(await Lifecycle.GetLastSeenAsync(guest.IdentityId, None), Is.EqualTo(T0));

        await Lifecycle.RecordLastSeenAsync(guest.IdentityId, T0.AddHours(5), None);
        Assert.That(await Lifecycle.GetLastSeenAsync(guest.IdentityId, None), Is.EqualTo(T0.AddHours(5)));

        await Lifecycle.RecordLastSeenAsync(NewIdentityId(), T0, None);
        Assert.That(await Lifecycle.GetLastSeenAsync(NewIdentityId(), None), Is.Null);
    }

    [Test]
    public async Task A_stale_guest_is_deleted_but_one_seen_since_or_with_a_login_stays()
    {
        var pool = await CreatePoolAsync();
        var stale = await CreateIdentityAsync(pool.IdentityPoolId);
        var seen = await CreateIdentityAsync(pool.IdentityPoolId);
        var linked = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));
        await Lifecycle.RecordLastSeenAsync(seen.IdentityId, T0.AddDays(10), None);
        var before = T0.AddDays(5);

        Assert.That(await Lifecycle.DeleteIdentityIfStaleAsync(stale.IdentityId, before, guestOnly: true, None), Is.True);
        Assert.That(await Lifecycle.DeleteIdentityIfStaleAsync(seen.IdentityId, before, guestOnly: true, None), Is.False);
        Assert.That(await Lifecycle.DeleteIdentityIfStaleAsync(linked.IdentityId, before, guestOnly: true, None), Is.False);
        Assert.That(await Lifecycle.DeleteIdentityIfStaleAsync(stale.IdentityId, before, guestOnly: true, None), Is.False, "already gone");

        Assert.That(await Store.Identities.GetIdentityAsync(stale.IdentityId, None), Is.Null);
        Assert.That(await Store.Identities.GetIdentityAsync(seen.IdentityId, None), Is.Not.Null);
        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Google("g-1"), None), Is.EqualTo(linked.IdentityId));
    }

    [Test]
    public async Task Deleting_an_authenticated_identity_by_condition_frees_its_logins_so_none_points_at_it()
    {
        var pool = await CreatePoolAsync();
        var linked = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-2"), Facebook("f-2"));

        Assert.That(await Lifecycle.DeleteIdentityIfStaleAsync(linked.IdentityId, T0.AddDays(1), guestOnly: false, None), Is.True);

        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Google("g-2"), None), Is.Null);
        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Facebook("f-2"), None), Is.Null);
        var page = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 10, null, hideDisabled: false, None);
        Assert.That(page.Items, Is.Empty);
        var again = await Store.Identities.ResolveLoginsAsync(Candidate(pool.IdentityPoolId), [Google("g-2")], T0, None);
        Assert.That(again.Kind, Is.EqualTo(IdentityBroker.Identities.LoginResolutionKind.Created), "the login links to a new identity");
    }

    [Test]
    public async Task A_lease_is_held_by_one_holder_until_it_expires()
    {
        var name = "sweep-" + Guid.NewGuid().ToString("N");
        var minute = TimeSpan.FromMinutes(1);
        Assert.That(await Lifecycle.TryAcquireLeaseAsync(name, "a", T0, minute, None), Is.True);
        Assert.That(await Lifecycle.TryAcquireLeaseAsync(name, "b", T0.AddSeconds(30), minute, None), Is.False);
        Assert.That(await Lifecycle.TryAcquireLeaseAsync(name, "a", T0.AddSeconds(30), minute, None), Is.True, "renewed by its holder");
        Assert.That(await Lifecycle.TryAcquireLeaseAsync(name, "b", T0.AddSeconds(80), minute, None), Is.False, "the renewal counts");
        Assert.That(await Lifecycle.TryAcquireLeaseAsync(name, "b", T0.AddSeconds(91), minute, None), Is.True, "expired");
    }

    [Test]
    public async Task A_lifecycle_job_document_survives_a_reopen_and_is_replaced_on_save()
    {
        var id = Guid.NewGuid().ToString("N");
        Assert.That(await Lifecycle.GetLifecycleJobAsync(id, None), Is.Null);
        await Lifecycle.SaveLifecycleJobAsync(id, "{\"n\":1}", None);
        await Lifecycle.SaveLifecycleJobAsync(id, "{\"n\":2}", None);
        await ReopenAsync();
        Assert.That(await Lifecycle.GetLifecycleJobAsync(id, None), Is.EqualTo("{\"n\":2}"));
    }
}
