using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static readonly LinkPolicy Developer = new("login.dev");

    private static LoginKey Dev(string user) => new("login.dev", user);

    [Test]
    public async Task The_owner_of_a_login_is_found_per_pool()
    {
        var pool = await CreatePoolAsync();
        var other = await CreatePoolAsync();
        var owner = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Google("g-1"), None), Is.EqualTo(owner.IdentityId));
        Assert.That(await Store.Identities.FindLoginOwnerAsync(other.IdentityPoolId, Google("g-1"), None), Is.Null);
        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Google("g-2"), None), Is.Null);
    }

    [Test]
    public async Task Unlinking_removes_only_the_named_logins_of_that_identity_and_frees_them()
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"), Facebook("f-1"));
        var other = await CreateIdentityAsync(pool.IdentityPoolId, Oidc("o-1"));

        var after = await Store.Identities.UnlinkLoginsAsync(identity.IdentityId, [Google("g-1"), Oidc("o-1")], Later, None);

        AssertSameIdentity(after, identity with { Logins = [Facebook("f-1")], LastModifiedDate = Later });
        await AssertUnchangedAsync(other);
        await AssertLoginIsFreeAsync(pool.IdentityPoolId, Google("g-1"));
    }

    [Test]
    public async Task Unlinking_the_last_login_disables_the_identity_rather_than_making_it_a_guest()
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        var after = await Store.Identities.UnlinkLoginsAsync(identity.IdentityId, [Google("g-1")], Later, None);

        AssertSameIdentity(after, identity with { Logins = [], Disabled = true, LastModifiedDate = Later });
        var visible = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, true, None);
        Assert.That(visible.Items, Is.Empty);
    }

    [Test]
    public async Task Unlinking_from_a_missing_identity_answers_null()
    {
        await CreatePoolAsync();
        Assert.That(await Store.Identities.UnlinkLoginsAsync(NewIdentityId(), [Google("g-1")], Later, None), Is.Null);
    }

    [Test]
    public async Task Merging_developer_users_moves_every_login_to_the_destination_and_disables_the_source()
    {
        var pool = await CreatePoolAsync();
        var destination = await CreateIdentityAsync(pool.IdentityPoolId, Dev("d"), Google("g-1"));
        var source = await CreateIdentityAsync(pool.IdentityPoolId, Dev("s"), Facebook("f-1"));

        var merge = await Store.Identities.MergeIdentitiesAsync(pool.IdentityPoolId, Dev("d"), Dev("s"), Developer, Later, None);

        Assert.That(merge.Kind, Is.EqualTo(IdentityMergeKind.Merged));
        AssertSameIdentity(merge.Identity, destination with { Logins = [Dev("d"), Google("g-1"), Dev("s"), Facebook("f-1")], LastModifiedDate = Later });
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(source.IdentityId, None),
            source with { Logins = [], Disabled = true, LastModifiedDate = Later });
        Assert.That(await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Dev("s"), None), Is.EqualTo(destination.IdentityId));

        var again = await Store.Identities.MergeIdentitiesAsync(pool.IdentityPoolId, Dev("d"), Dev("s"), Developer, Later, None);
        Assert.That(again.Kind, Is.EqualTo(IdentityMergeKind.AlreadyMerged));
    }

    [Test]
    public async Task Merging_unknown_developer_users_says_which_is_missing()
    {
        var pool = await CreatePoolAsync();
        await CreateIdentityAsync(pool.IdentityPoolId, Dev("d"));

        var noSource = await Store.Identities.MergeIdentitiesAsync(pool.IdentityPoolId, Dev("d"), Dev("nobody"), Developer, Later, None);
        var noDestination = await Store.Identities.MergeIdentitiesAsync(pool.IdentityPoolId, Dev("nobody"), Dev("d"), Developer, Later, None);

        Assert.That(noSource.Kind, Is.EqualTo(IdentityMergeKind.SourceNotFound));
        Assert.That(noDestination.Kind, Is.EqualTo(IdentityMergeKind.DestinationNotFound));
    }

    [Test]
    public async Task Merging_two_users_of_one_public_provider_conflicts_and_changes_nothing()
    {
        var pool = await CreatePoolAsync();
        var destination = await CreateIdentityAsync(pool.IdentityPoolId, Dev("d"), Google("g-1"));
        var source = await CreateIdentityAsync(pool.IdentityPoolId, Dev("s"), Google("g-2"));

        var merge = await Store.Identities.MergeIdentitiesAsync(pool.IdentityPoolId, Dev("d"), Dev("s"), Developer, Later, None);

        Assert.That(merge.Kind, Is.EqualTo(IdentityMergeKind.Conflict));
        Assert.That(merge.ConflictReason, Does.Contain("accounts.google.com"));
        await AssertUnchangedAsync(destination, source);
    }

    [Test]
    public async Task Merging_beyond_twenty_logins_conflicts()
    {
        var pool = await CreatePoolAsync();
        var destination = await CreateIdentityAsync(pool.IdentityPoolId, [.. Enumerable.Range(0, 15).Select(i => Dev($"d{i}"))]);
        var source = await CreateIdentityAsync(pool.IdentityPoolId, [.. Enumerable.Range(0, 6).Select(i => Dev($"s{i}"))]);

        var merge = await Store.Identities.MergeIdentitiesAsync(pool.IdentityPoolId, Dev("d0"), Dev("s0"), Developer, Later, None);

        Assert.That(merge.Kind, Is.EqualTo(IdentityMergeKind.Conflict));
        await AssertUnchangedAsync(destination, source);
    }

    [Test]
    public async Task Disabling_keeps_the_logins_and_hides_the_identity_from_HideDisabled_listings()
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        Assert.That(await Store.Identities.DisableIdentityAsync(identity.IdentityId, Later, None), Is.True);
        Assert.That(await Store.Identities.DisableIdentityAsync(NewIdentityId(), Later, None), Is.False);

        AssertSameIdentity(await Store.Identities.GetIdentityAsync(identity.IdentityId, None), identity with { Disabled = true, LastModifiedDate = Later });
        Assert.That((await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, true, None)).Items, Is.Empty);
        Assert.That((await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, None)).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Parallel_merges_of_the_same_logins_leave_exactly_one_owner_and_lose_no_link()
    {
        var pool = await CreatePoolAsync();
        var logins = Enumerable.Range(0, 10).Select(i => new LoginKey($"provider-{i}.example.com", "s")).ToList();
        var holders = new List<Identity>();
        foreach (var login in logins)
        {
            holders.Add(await CreateIdentityAsync(pool.IdentityPoolId, login));
        }

        // 50 callers each present two logins of neighbouring identities and one new login, all at once.
        var fresh = new LoginKey("fresh.example.com", "n");
        var requests = Enumerable.Range(0, 50).Select(i => (Candidate: Candidate(pool.IdentityPoolId),
            Logins: new[] { logins[i % 10], logins[(i + 1) % 10], fresh })).ToList();
        var (results, _) = await RunTogetherAsync(requests, r => Store.Identities.ResolveLoginsAsync(r.Candidate, r.Logins, Later, None));

        Assert.That(results.Select(r => r.Kind), Has.None.EqualTo(LoginResolutionKind.Conflict).And.None.EqualTo(LoginResolutionKind.Created));
        var owners = new HashSet<string>();
        foreach (var login in logins)
        {
            owners.Add((await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, login, None))!);
        }

        Assert.That(owners, Has.Count.EqualTo(1), "every original login ends on one owner");
        var owner = await Store.Identities.GetIdentityAsync(owners.Single(), None);
        Assert.That(owner!.Disabled, Is.False);
        Assert.That(owner.Logins, Is.EquivalentTo(logins.Append(fresh)), "no link lost, the new login linked once");
        var listed = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, true, None);
        Assert.That(listed.Items.Select(i => i.IdentityId), Is.EqualTo(new[] { owner.IdentityId }), "one enabled identity remains");
        // Every identity was created at T0; among equals the smallest id owns (LoginLinkRules), whatever the order of calls.
        Assert.That(owner.IdentityId, Is.EqualTo(holders.Select(h => h.IdentityId).Min(StringComparer.Ordinal)));
        Assert.That(results.Select(r => r.Identity!.IdentityId).Distinct(), Is.SubsetOf(holders.Select(h => h.IdentityId)), "no candidate was created");
    }

    [Test]
    public async Task Parallel_links_and_unlinks_never_leave_a_login_with_two_owners()
    {
        var pool = await CreatePoolAsync();
        var identities = new List<Identity>();
        for (var i = 0; i < 10; i++)
        {
            identities.Add(await CreateIdentityAsync(pool.IdentityPoolId, Google($"g-{i}")));
        }

        var calls = Enumerable.Range(0, 50).Select(i => (Identity: identities[i % 10], Unlink: i % 2 == 0)).ToList();
        await RunTogetherAsync(calls, async c => c.Unlink
            ? await Store.Identities.UnlinkLoginsAsync(c.Identity.IdentityId, [Oidc("shared")], Later, None)
            : (await Store.Identities.ResolveLoginsAsync(c.Identity, [Google(c.Identity.Logins[0].Subject), Oidc("shared")], Later, None)).Identity);

        var holders = new List<Identity>();
        foreach (var identity in identities)
        {
            var stored = await Store.Identities.GetIdentityAsync(identity.IdentityId, None);
            if (stored!.Logins.Contains(Oidc("shared")))
            {
                holders.Add(stored);
            }
        }

        Assert.That(holders, Has.Count.AtMost(1));
        var owner = await Store.Identities.FindLoginOwnerAsync(pool.IdentityPoolId, Oidc("shared"), None);
        Assert.That(owner, Is.EqualTo(holders.SingleOrDefault()?.IdentityId));
    }
}
