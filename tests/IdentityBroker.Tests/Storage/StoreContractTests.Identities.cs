using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Test]
    public async Task Identity_with_logins_round_trips()
    {
        var pool = await CreatePoolAsync();
        var identity = Candidate(pool.IdentityPoolId) with
        {
            Logins = [Google("g-1"), Facebook("f-1")],
            CreationDate = T0,
            LastModifiedDate = T0.AddMinutes(5),
            Disabled = true,
        };

        await Store.Identities.CreateIdentityAsync(identity, None);

        AssertSameIdentity(await Store.Identities.GetIdentityAsync(identity.IdentityId, None), identity);
    }

    [Test]
    public async Task Guest_identity_round_trips_without_logins()
    {
        var pool = await CreatePoolAsync();
        var guest = await CreateIdentityAsync(pool.IdentityPoolId);

        var read = await Store.Identities.GetIdentityAsync(guest.IdentityId, None);

        AssertSameIdentity(read, guest);
        Assert.That(read!.IsAuthenticated, Is.False);
    }

    [Test]
    public async Task Unknown_identity_is_not_found()
    {
        Assert.That(await Store.Identities.GetIdentityAsync(NewIdentityId(), None), Is.Null);
        Assert.That(await Store.Identities.DeleteIdentityAsync(NewIdentityId(), None), Is.False);
    }

    [Test]
    public void Creating_an_identity_in_a_missing_pool_is_a_programming_error() =>
        Assert.ThrowsAsync<InvalidOperationException>(() => Store.Identities.CreateIdentityAsync(Candidate(NewPoolId()), None));

    [Test]
    public async Task Creating_an_identity_id_twice_is_a_programming_error()
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId);

        Assert.ThrowsAsync<InvalidOperationException>(() => Store.Identities.CreateIdentityAsync(identity, None));
    }

    [Test]
    public async Task Creating_an_identity_with_a_login_linked_elsewhere_is_refused_and_changes_nothing()
    {
        var pool = await CreatePoolAsync();
        await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));
        var second = Candidate(pool.IdentityPoolId) with { Logins = [Google("g-1")] };

        Assert.ThrowsAsync<InvalidOperationException>(() => Store.Identities.CreateIdentityAsync(second, None));
        Assert.That(await Store.Identities.GetIdentityAsync(second.IdentityId, None), Is.Null);
    }

    [Test]
    public async Task Delete_identity_removes_it_and_frees_its_logins()
    {
        var pool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));

        Assert.That(await Store.Identities.DeleteIdentityAsync(identity.IdentityId, None), Is.True);

        Assert.That(await Store.Identities.GetIdentityAsync(identity.IdentityId, None), Is.Null);
        Assert.That(await Store.Identities.DeleteIdentityAsync(identity.IdentityId, None), Is.False);
        var next = Candidate(pool.IdentityPoolId);
        var resolution = await Store.Identities.ResolveLoginsAsync(next, [Google("g-1")], T0, None);
        Assert.That(resolution.Kind, Is.EqualTo(LoginResolutionKind.Created));
        Assert.That(resolution.Identity!.IdentityId, Is.EqualTo(next.IdentityId));
    }

    [Test]
    public async Task Identities_are_listed_in_pages_of_their_pool_only()
    {
        var pool = await CreatePoolAsync();
        var other = await CreatePoolAsync();
        var created = new List<string>();
        for (var i = 0; i < 130; i++)
        {
            created.Add((await CreateIdentityAsync(pool.IdentityPoolId, Google($"g-{i}"))).IdentityId);
        }

        await CreateIdentityAsync(other.IdentityPoolId, Google("g-0"));

        var pages = await ListAllIdentitiesAsync(pool.IdentityPoolId, 60, hideDisabled: false);

        Assert.That(pages.Select(p => p.Items.Count), Is.EqualTo(new[] { 60, 60, 10 }));
        var listed = pages.SelectMany(p => p.Items).ToList();
        Assert.That(listed.Select(i => i.IdentityId), Is.Unique.And.EquivalentTo(created));
        Assert.That(listed.Select(i => i.IdentityPoolId), Is.All.EqualTo(pool.IdentityPoolId));
        var sample = listed.Single(i => i.IdentityId == created[7]);
        Assert.That(sample.Logins, Is.EqualTo(new[] { Google("g-7") }), "a listed identity carries its logins");
    }

    [Test]
    public async Task Listing_a_pool_without_identities_gives_an_empty_last_page()
    {
        var pool = await CreatePoolAsync();

        var page = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, None);

        Assert.That(page.Items, Is.Empty);
        Assert.That(page.NextToken, Is.Null);
    }

    [Test]
    public async Task HideDisabled_leaves_out_disabled_identities_on_every_page()
    {
        var pool = await CreatePoolAsync();
        var enabled = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var identity = Candidate(pool.IdentityPoolId) with { Disabled = i % 2 == 1 };
            await Store.Identities.CreateIdentityAsync(identity, None);
            if (!identity.Disabled)
            {
                enabled.Add(identity.IdentityId);
            }
        }

        var hidden = (await ListAllIdentitiesAsync(pool.IdentityPoolId, 2, hideDisabled: true)).SelectMany(p => p.Items).ToList();
        var all = (await ListAllIdentitiesAsync(pool.IdentityPoolId, 2, hideDisabled: false)).SelectMany(p => p.Items).ToList();

        Assert.That(hidden.Select(i => i.IdentityId), Is.EquivalentTo(enabled));
        Assert.That(all, Has.Count.EqualTo(7));
        Assert.That(all.Count(i => i.Disabled), Is.EqualTo(3));
    }

    [Test]
    public async Task An_identity_token_stays_valid_when_identities_are_deleted_between_pages()
    {
        var pool = await CreatePoolAsync();
        var created = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            created.Add((await CreateIdentityAsync(pool.IdentityPoolId)).IdentityId);
        }

        var first = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 3, null, false, None);
        var seen = first.Items.Select(i => i.IdentityId).ToList();
        var unseen = created.Except(seen).ToList();
        await Store.Identities.DeleteIdentityAsync(seen[^1], None);
        await Store.Identities.DeleteIdentityAsync(unseen[^1], None);

        var rest = new List<string>();
        var token = first.NextToken;
        while (token is not null)
        {
            var page = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 3, token, false, None);
            rest.AddRange(page.Items.Select(i => i.IdentityId));
            token = page.NextToken;
        }

        Assert.That(rest, Is.EquivalentTo(unseen.SkipLast(1)));
    }

    [TestCase("not a token")]
    [TestCase("!!!")]
    [TestCase("")]
    public async Task A_malformed_identity_token_is_rejected_with_its_own_exception(string token)
    {
        var pool = await CreatePoolAsync();
        await CreateIdentityAsync(pool.IdentityPoolId);

        Assert.ThrowsAsync<InvalidNextTokenException>(
            () => Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 10, token, false, None));
    }

    private async Task<List<Page<Identity>>> ListAllIdentitiesAsync(string poolId, int pageSize, bool hideDisabled)
    {
        var pages = new List<Page<Identity>>();
        string? token = null;
        do
        {
            var page = await Store.Identities.ListIdentitiesAsync(poolId, pageSize, token, hideDisabled, None);
            pages.Add(page);
            token = page.NextToken;
            Assert.That(pages, Has.Count.LessThan(1000), "pagination does not end");
        }
        while (token is not null);

        return pages;
    }
}
