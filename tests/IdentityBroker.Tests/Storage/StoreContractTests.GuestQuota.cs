using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

/// <summary>MaxGuestIdentities (docs/limits.md, "Per-pool limits"): guests counted and created atomically; every way out of guesthood frees a slot.</summary>
public abstract partial class StoreContractTests
{
    private IIdentityLifecycleStore Guests => Store.Lifecycle ?? throw new AssertionException("The store has no identity lifecycle store.");

    [Test]
    public async Task A_guest_is_created_while_the_pool_holds_fewer_than_the_limit_and_refused_after()
    {
        var pool = await CreatePoolAsync();
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 2, None), Is.True);
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 2, None), Is.True);

        var refused = Candidate(pool.IdentityPoolId);
        Assert.That(await Guests.TryCreateGuestAsync(refused, 2, None), Is.False);
        Assert.That(await Store.Identities.GetIdentityAsync(refused.IdentityId, None), Is.Null, "a refused guest is not written");
        Assert.That(await Guests.CountGuestsAsync(pool.IdentityPoolId, None), Is.EqualTo(2));
        Assert.That(await Guests.TryCreateGuestAsync(Candidate((await CreatePoolAsync()).IdentityPoolId), 2, None), Is.True, "another pool counts apart");
    }

    [Test]
    public async Task Authenticated_and_disabled_identities_take_no_guest_slot()
    {
        var pool = await CreatePoolAsync();
        await CreateIdentityAsync(pool.IdentityPoolId, Google("g-q1"));
        var disabled = await CreateIdentityAsync(pool.IdentityPoolId);
        Assert.That(await Store.Identities.DisableIdentityAsync(disabled.IdentityId, T0, None), Is.True);

        Assert.That(await Guests.CountGuestsAsync(pool.IdentityPoolId, None), Is.Zero);
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 1, None), Is.True);
    }

    [Test]
    public async Task Deleting_a_guest_linking_a_login_to_one_or_sweeping_one_frees_its_slot()
    {
        var pool = await CreatePoolAsync();
        var deleted = await CreateIdentityAsync(pool.IdentityPoolId);
        var linked = await CreateIdentityAsync(pool.IdentityPoolId);
        var swept = await CreateIdentityAsync(pool.IdentityPoolId);
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 3, None), Is.False, "three guests fill a limit of three");

        Assert.That(await Store.Identities.DeleteIdentityAsync(deleted.IdentityId, None), Is.True);
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 3, None), Is.True, "a deletion frees a slot");

        var resolution = await Store.Identities.ResolveLoginsAsync(linked, [Google("g-q2")], T0, None);
        Assert.That(resolution.Identity!.IdentityId, Is.EqualTo(linked.IdentityId));
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 3, None), Is.True, "a guest given a login is no longer a guest");

        Assert.That(await Store.Lifecycle!.DeleteIdentityIfStaleAsync(swept.IdentityId, T0.AddDays(1), guestOnly: true, None), Is.True);
        Assert.That(await Guests.CountGuestsAsync(pool.IdentityPoolId, None), Is.EqualTo(2));
    }

    [Test]
    public async Task A_deleted_pool_keeps_no_guest_count_for_a_pool_created_again_under_its_id()
    {
        var pool = await CreatePoolAsync();
        await CreateIdentityAsync(pool.IdentityPoolId);
        Assert.That(await Store.Pools.DeletePoolAsync(pool.IdentityPoolId, None), Is.True);
        Assert.ThrowsAsync<InvalidOperationException>(() => Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 5, None));

        await CreatePoolAsync(pool.IdentityPoolId);
        Assert.That(await Guests.CountGuestsAsync(pool.IdentityPoolId, None), Is.Zero);
        Assert.That(await Guests.TryCreateGuestAsync(Candidate(pool.IdentityPoolId), 1, None), Is.True);
    }

    [Test]
    public async Task Parallel_guests_never_pass_the_limit()
    {
        const int Limit = 7;
        var pool = await CreatePoolAsync();
        var candidates = Enumerable.Range(0, Parallel).Select(_ => Candidate(pool.IdentityPoolId)).ToList();

        var (results, _) = await RunTogetherAsync(candidates, c => Guests.TryCreateGuestAsync(c, Limit, None));

        Assert.That(results.Count(created => created), Is.EqualTo(Limit));
        Assert.That(await Guests.CountGuestsAsync(pool.IdentityPoolId, None), Is.EqualTo(Limit));
        var listed = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, Parallel, null, false, None);
        Assert.That(listed.Items.Select(i => i.IdentityId), Is.EquivalentTo(candidates.Where((_, i) => results[i]).Select(c => c.IdentityId)));
    }
}
