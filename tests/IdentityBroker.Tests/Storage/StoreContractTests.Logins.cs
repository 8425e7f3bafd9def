using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset Later = T0.AddHours(1);

    [Test]
    public async Task Unknown_logins_create_the_candidate_with_all_of_them()
    {
        var pool = await CreatePoolAsync();
        var candidate = Candidate(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(candidate, [Google("g-1"), Facebook("f-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Created));
        var expected = candidate with { Logins = [Google("g-1"), Facebook("f-1")] };
        AssertSameIdentity(resolution.Identity, expected);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(candidate.IdentityId, None), expected);
    }

    [Test]
    public async Task No_logins_and_a_new_candidate_create_a_guest()
    {
        var pool = await CreatePoolAsync();
        var candidate = Candidate(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(candidate, [], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Created));
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(candidate.IdentityId, None), candidate);
    }

    [Test]
    public async Task A_repeated_login_in_one_request_counts_once()
    {
        var pool = await CreatePoolAsync();
        var candidate = Candidate(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(candidate, [Google("g-1"), Google("g-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Created));
        Assert.That(resolution.Identity!.Logins, Is.EqualTo(new[] { Google("g-1") }));
    }

    [Test]
    public async Task A_stored_guest_presenting_new_logins_gets_them_linked()
    {
        var pool = await CreatePoolAsync();
        var guest = await CreateIdentityAsync(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(guest, [Google("g-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Existing));
        var expected = guest with { Logins = [Google("g-1")], LastModifiedDate = Later };
        AssertSameIdentity(resolution.Identity, expected);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(guest.IdentityId, None), expected);
    }

    [Test]
    public async Task A_known_login_returns_its_owner_and_does_not_create_the_candidate()
    {
        var pool = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));
        var candidate = Candidate(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(candidate, [Google("g-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Existing));
        AssertSameIdentity(resolution.Identity, owner);
        Assert.That(await Store.Identities.GetIdentityAsync(candidate.IdentityId, None), Is.Null);
    }

    [Test]
    public async Task A_known_login_presented_by_its_owner_returns_the_owner_unchanged()
    {
        var pool = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        var resolution = await Store.Identities.ResolveLoginsAsync(owner, [Google("g-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Existing));
        AssertSameIdentity(resolution.Identity, owner);
    }

    [Test]
    public async Task Unknown_logins_presented_with_a_known_one_are_linked_to_its_owner()
    {
        var pool = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        var resolution = await Store.Identities.ResolveLoginsAsync(
            Candidate(pool.IdentityPoolId), [Facebook("f-1"), Google("g-1"), Oidc("o-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Existing));
        var expected = owner with { Logins = [Google("g-1"), Facebook("f-1"), Oidc("o-1")], LastModifiedDate = Later };
        AssertSameIdentity(resolution.Identity, expected);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(owner.IdentityId, None), expected);
    }

    [Test]
    public async Task Logins_of_two_identities_merge_them_into_the_older_one()
    {
        var pool = await CreatePoolAsync();
        var older = Candidate(pool.IdentityPoolId, T0) with { Logins = [Google("g-1")] };
        var younger = Candidate(pool.IdentityPoolId, T0.AddMinutes(1)) with { Logins = [Facebook("f-1")] };
        await Store.Identities.CreateIdentityAsync(younger, None);
        await Store.Identities.CreateIdentityAsync(older, None);
        var candidate = Candidate(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(
            candidate, [Facebook("f-1"), Google("g-1"), Oidc("o-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Merged));
        Assert.That(resolution.MergedIdentityIds, Is.EqualTo(new[] { younger.IdentityId }));
        var expected = older with { Logins = [Google("g-1"), Facebook("f-1"), Oidc("o-1")], LastModifiedDate = Later };
        AssertSameIdentity(resolution.Identity, expected);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(older.IdentityId, None), expected);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(younger.IdentityId, None),
            younger with { Logins = [], Disabled = true, LastModifiedDate = Later });
        Assert.That(await Store.Identities.GetIdentityAsync(candidate.IdentityId, None), Is.Null);
    }

    [Test]
    public async Task A_stored_candidate_presenting_a_login_of_another_identity_is_merged_into_the_login_owner()
    {
        var pool = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));
        var other = await CreateIdentityAsync(pool.IdentityPoolId, Facebook("f-1"));

        var resolution = await Store.Identities.ResolveLoginsAsync(other, [Google("g-1"), Oidc("o-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Merged));
        Assert.That(resolution.Identity!.IdentityId, Is.EqualTo(owner.IdentityId));
        Assert.That(resolution.Identity.Logins, Is.EquivalentTo(new[] { Google("g-1"), Facebook("f-1"), Oidc("o-1") }));
        var disabled = await Store.Identities.GetIdentityAsync(other.IdentityId, None);
        Assert.That(disabled!.Disabled, Is.True);
        Assert.That(disabled.Logins, Is.Empty);
    }

    [Test]
    public async Task A_merge_that_would_give_one_identity_two_users_of_a_provider_conflicts_and_changes_nothing()
    {
        var pool = await CreatePoolAsync();
        var first = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"), Facebook("f-1"));
        var second = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-2"), Oidc("o-1"));

        var resolution = await Store.Identities.ResolveLoginsAsync(Candidate(pool.IdentityPoolId), [Facebook("f-1"), Oidc("o-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Conflict));
        Assert.That(resolution.ConflictReason, Does.Contain("accounts.google.com"));
        await AssertUnchangedAsync(first, second);
    }

    [Test]
    public async Task Linking_beyond_twenty_logins_conflicts_and_changes_nothing()
    {
        var pool = await CreatePoolAsync();
        var full = await CreateIdentityAsync(pool.IdentityPoolId, [.. Enumerable.Range(0, 20).Select(i => new LoginKey($"p{i}.example.com", "s"))]);

        var resolution = await Store.Identities.ResolveLoginsAsync(full, [new LoginKey("p0.example.com", "s"), Oidc("o-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Conflict));
        await AssertUnchangedAsync(full);
        await AssertLoginIsFreeAsync(pool.IdentityPoolId, Oidc("o-1"));
    }

    [Test]
    public async Task A_second_subject_of_a_linked_provider_conflicts_with_a_reason()
    {
        var pool = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        var resolution = await Store.Identities.ResolveLoginsAsync(owner, [Google("g-1"), Google("g-2")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Conflict));
        Assert.That(resolution.ConflictReason, Does.Contain("accounts.google.com"));
        await AssertUnchangedAsync(owner);
        await AssertLoginIsFreeAsync(pool.IdentityPoolId, Google("g-2"));
    }

    [Test]
    public async Task A_stored_identity_presenting_another_subject_of_its_provider_conflicts()
    {
        var pool = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        var resolution = await Store.Identities.ResolveLoginsAsync(owner, [Google("g-2")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Conflict));
        await AssertUnchangedAsync(owner);
    }

    [Test]
    public async Task Two_subjects_of_one_provider_cannot_create_an_identity()
    {
        var pool = await CreatePoolAsync();
        var candidate = Candidate(pool.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(candidate, [Google("g-1"), Google("g-2")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Conflict));
        Assert.That(await Store.Identities.GetIdentityAsync(candidate.IdentityId, None), Is.Null);
        await AssertLoginIsFreeAsync(pool.IdentityPoolId, Google("g-1"));
    }

    [Test]
    public async Task Logins_are_per_pool()
    {
        var poolA = await CreatePoolAsync();
        var poolB = await CreatePoolAsync();
        var inA = Candidate(poolA.IdentityPoolId);
        var inB = Candidate(poolB.IdentityPoolId);

        var a = await Store.Identities.ResolveLoginsAsync(inA, [Google("g-1")], Later, None);
        var b = await Store.Identities.ResolveLoginsAsync(inB, [Google("g-1")], Later, None);

        Assert.That(a.Kind, Is.EqualTo(LoginResolutionKind.Created));
        Assert.That(b.Kind, Is.EqualTo(LoginResolutionKind.Created));
        Assert.That(b.Identity!.IdentityId, Is.EqualTo(inB.IdentityId));
    }

    [Test]
    public async Task A_candidate_stored_in_another_pool_conflicts()
    {
        var poolA = await CreatePoolAsync();
        var poolB = await CreatePoolAsync();
        var inA = await CreateIdentityAsync(poolA.IdentityPoolId);

        var resolution = await Store.Identities.ResolveLoginsAsync(
            inA with { IdentityPoolId = poolB.IdentityPoolId }, [Google("g-1")], Later, None);

        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Conflict));
        await AssertUnchangedAsync(inA);
        await AssertLoginIsFreeAsync(poolB.IdentityPoolId, Google("g-1"));
    }

    [Test]
    public async Task Deleting_a_pool_deletes_its_identities_and_logins()
    {
        var pool = await CreatePoolAsync();
        var other = await CreatePoolAsync();
        var gone = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));
        var guest = await CreateIdentityAsync(pool.IdentityPoolId);
        var kept = await CreateIdentityAsync(other.IdentityPoolId, Google("g-1"));

        Assert.That(await Store.Pools.DeletePoolAsync(pool.IdentityPoolId, None), Is.True);

        Assert.That(await Store.Identities.GetIdentityAsync(gone.IdentityId, None), Is.Null);
        Assert.That(await Store.Identities.GetIdentityAsync(guest.IdentityId, None), Is.Null);
        await AssertUnchangedAsync(kept);
        // A pool created again with the same id starts empty: the old login is free.
        await CreatePoolAsync(pool.IdentityPoolId);
        var page = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, None);
        Assert.That(page.Items, Is.Empty);
        await AssertLoginIsFreeAsync(pool.IdentityPoolId, Google("g-1"));
    }

    private async Task AssertUnchangedAsync(params Identity[] identities)
    {
        foreach (var identity in identities)
        {
            AssertSameIdentity(await Store.Identities.GetIdentityAsync(identity.IdentityId, None), identity);
        }
    }

    /// <summary>Resolving the login alone creates a new identity, so no identity held it. Changes the store.</summary>
    private async Task AssertLoginIsFreeAsync(string poolId, LoginKey login)
    {
        var probe = Candidate(poolId);
        var resolution = await Store.Identities.ResolveLoginsAsync(probe, [login], Later, None);
        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Created), $"{login} was linked");
    }
}
