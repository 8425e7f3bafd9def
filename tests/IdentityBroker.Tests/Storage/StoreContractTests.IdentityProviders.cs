using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IUserPoolIdentityProviderStore Providers =>
        Store.UserPools as IUserPoolIdentityProviderStore ?? throw new AssertionException("The store does not implement IUserPoolIdentityProviderStore.");

    private static PoolIdentityProvider NewProvider(string userPoolId, string name = "Corp", params string[] identifiers) => new(
        userPoolId, name, IdentityProviderTypes.Oidc,
        new Dictionary<string, string> { ["client_id"] = "app", ["oidc_issuer"] = "https://idp.example.com", ["authorize_scopes"] = "openid" },
        new Dictionary<string, string> { ["username"] = "sub", ["email"] = "email" },
        identifiers, T0, T0.AddMinutes(1));

    [Test]
    public async Task An_identity_provider_round_trips_survives_a_reopen_and_is_found_by_exact_name_and_by_identifier()
    {
        var pool = await CreateUserPoolAsync();
        var provider = NewProvider(pool.Id, "Corp", "corp.example.com", "corp");
        Assert.That(await Providers.TryCreateProviderAsync(provider, None), Is.EqualTo(ProviderWrite.Written));
        await ReopenAsync();

        AssertSameDocument(await Providers.GetProviderAsync(pool.Id, "Corp", None), provider);
        AssertSameDocument(await Providers.FindProviderByIdentifierAsync(pool.Id, "corp", None), provider);
        Assert.That(await Providers.GetProviderAsync(pool.Id, "corp", None), Is.Null, "provider names are compared exactly");
        Assert.That(await Providers.FindProviderByIdentifierAsync(NewUserPool().Id, "corp", None), Is.Null, "a provider belongs to its pool only");
    }

    [Test]
    public async Task A_taken_name_a_taken_identifier_or_a_missing_pool_refuses_the_create_and_keeps_the_first()
    {
        var pool = await CreateUserPoolAsync();
        var first = NewProvider(pool.Id, "Corp", "shared");
        await Providers.TryCreateProviderAsync(first, None);

        Assert.Multiple(async () =>
        {
            Assert.That(await Providers.TryCreateProviderAsync(NewProvider(pool.Id, "Corp"), None), Is.EqualTo(ProviderWrite.NameTaken));
            Assert.That(await Providers.TryCreateProviderAsync(NewProvider(pool.Id, "Other", "own", "shared"), None),
                Is.EqualTo(ProviderWrite.IdentifierTaken));
            Assert.That(await Providers.TryCreateProviderAsync(NewProvider(NewUserPool().Id), None), Is.EqualTo(ProviderWrite.NoPool));
            Assert.That(await Providers.FindProviderByIdentifierAsync(pool.Id, "own", None), Is.Null, "a refused create claims nothing");
            Assert.That(await Providers.GetProviderAsync(pool.Id, "Other", None), Is.Null);
        });
        AssertSameDocument(await Providers.GetProviderAsync(pool.Id, "Corp", None), first);
    }

    [Test]
    public async Task Updating_a_provider_moves_its_identifiers_and_deleting_it_frees_them()
    {
        var pool = await CreateUserPoolAsync();
        await Providers.TryCreateProviderAsync(NewProvider(pool.Id, "Corp", "old", "kept"), None);
        await Providers.TryCreateProviderAsync(NewProvider(pool.Id, "Other", "theirs"), None);
        var updated = NewProvider(pool.Id, "Corp", "kept", "new");

        Assert.That(await Providers.UpdateProviderAsync(NewProvider(pool.Id, "Corp", "theirs"), None), Is.EqualTo(ProviderWrite.IdentifierTaken));
        Assert.That(await Providers.UpdateProviderAsync(updated, None), Is.EqualTo(ProviderWrite.Written));
        Assert.That(await Providers.UpdateProviderAsync(NewProvider(pool.Id, "Nobody"), None), Is.EqualTo(ProviderWrite.NotFound));
        Assert.That(await Providers.FindProviderByIdentifierAsync(pool.Id, "old", None), Is.Null, "an identifier the update left out is freed");
        AssertSameDocument(await Providers.FindProviderByIdentifierAsync(pool.Id, "new", None), updated);

        Assert.That(await Providers.DeleteProviderAsync(pool.Id, "Corp", None), Is.True);
        Assert.That(await Providers.DeleteProviderAsync(pool.Id, "Corp", None), Is.False);
        Assert.That(await Providers.FindProviderByIdentifierAsync(pool.Id, "kept", None), Is.Null);
        Assert.That(await Providers.TryCreateProviderAsync(NewProvider(pool.Id, "Third", "kept"), None), Is.EqualTo(ProviderWrite.Written),
            "a deleted provider's identifiers can be claimed again");
    }

    [Test]
    public async Task Providers_are_listed_in_creation_order_by_page_and_go_with_their_pool()
    {
        var pool = await CreateUserPoolAsync();
        foreach (var name in new[] { "Zeta", "Alpha", "Mid" })
        {
            await Providers.TryCreateProviderAsync(NewProvider(pool.Id, name, name.ToLowerInvariant()), None);
        }

        var first = await Providers.ListProvidersAsync(pool.Id, 2, null, None);
        var second = await Providers.ListProvidersAsync(pool.Id, 2, first.NextToken, None);
        Assert.That(first.Items.Select(p => p.ProviderName).Concat(second.Items.Select(p => p.ProviderName)), Is.EqualTo(new[] { "Zeta", "Alpha", "Mid" }));
        Assert.That(second.NextToken, Is.Null);
        Assert.ThrowsAsync<InvalidNextTokenException>(() => Providers.ListProvidersAsync(pool.Id, 2, "bogus", None));

        Assert.That(await UserPools.DeleteUserPoolAsync(pool.Id, None), Is.True);
        Assert.That(await Providers.GetProviderAsync(pool.Id, "Zeta", None), Is.Null);
        Assert.That(await Providers.FindProviderByIdentifierAsync(pool.Id, "zeta", None), Is.Null);
        Assert.That((await Providers.ListProvidersAsync(pool.Id, 10, null, None)).Items, Is.Empty);
    }
}
