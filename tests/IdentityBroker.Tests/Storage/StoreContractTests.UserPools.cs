using IdentityBroker.Storage;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IUserPoolStore UserPools => Store.UserPools ?? throw new AssertionException("The store does not implement IUserPoolStore.");

    private static UserPool NewUserPool(string name = "users") => new(
        "us-east-1_" + Guid.NewGuid().ToString("N")[..9],
        name,
        "arn:aws:cognito-idp:us-east-1:000000000000:userpool/x",
        new UserPoolSettings(
            new PasswordPolicy { MinimumLength = 12, RequireSymbols = false, PasswordHistorySize = 3, TemporaryPasswordValidityDays = 2 },
            UserPoolSettings.DeletionProtectionInactive,
            "OPTIONAL",
            ["email"],
            new Dictionary<string, string> { ["team"] = "identity" }),
        ["email"],
        null,
        T0,
        T0.AddMinutes(1));

    [Test]
    public async Task User_pool_with_its_settings_round_trips_and_survives_a_reopen()
    {
        var pool = NewUserPool();

        Assert.That(await UserPools.TryCreateUserPoolAsync(pool, None), Is.True);
        await ReopenAsync();

        AssertSameDocument(await UserPools.GetUserPoolAsync(pool.Id, None), pool);
    }

    [Test]
    public async Task Creating_a_user_pool_with_a_taken_id_is_refused_and_keeps_the_first()
    {
        var pool = NewUserPool("first");
        await UserPools.TryCreateUserPoolAsync(pool, None);

        Assert.That(await UserPools.TryCreateUserPoolAsync(pool with { Name = "second" }, None), Is.False);
        Assert.That((await UserPools.GetUserPoolAsync(pool.Id, None))!.Name, Is.EqualTo("first"));
    }

    [Test]
    public async Task Updating_a_user_pool_replaces_it_and_an_unknown_pool_is_not_updated()
    {
        var pool = NewUserPool();
        await UserPools.TryCreateUserPoolAsync(pool, None);
        var updated = pool with { Name = "renamed", Settings = pool.Settings with { MfaConfiguration = "OFF", UserPoolTags = null } };

        Assert.That(await UserPools.UpdateUserPoolAsync(updated, None), Is.True);
        Assert.That(await UserPools.UpdateUserPoolAsync(NewUserPool(), None), Is.False);
        AssertSameDocument(await UserPools.GetUserPoolAsync(pool.Id, None), updated);
    }

    [Test]
    public async Task Deleting_a_user_pool_removes_it_from_reads_and_listings_once()
    {
        var pool = NewUserPool();
        await UserPools.TryCreateUserPoolAsync(pool, None);

        Assert.That(await UserPools.DeleteUserPoolAsync(pool.Id, None), Is.True);
        Assert.That(await UserPools.DeleteUserPoolAsync(pool.Id, None), Is.False);
        Assert.That(await UserPools.GetUserPoolAsync(pool.Id, None), Is.Null);
        Assert.That((await UserPools.ListUserPoolsAsync(60, null, None)).Items.Select(p => p.Id), Does.Not.Contain(pool.Id));
    }

    [Test]
    public async Task User_pools_are_listed_in_creation_order_a_page_at_a_time_across_a_deletion()
    {
        var pools = new List<UserPool>();
        for (var i = 0; i < 5; i++)
        {
            var pool = NewUserPool($"pool{i}");
            await UserPools.TryCreateUserPoolAsync(pool, None);
            pools.Add(pool);
        }

        var first = await UserPools.ListUserPoolsAsync(2, null, None);
        await UserPools.DeleteUserPoolAsync(pools[1].Id, None);
        var second = await UserPools.ListUserPoolsAsync(2, first.NextToken, None);
        var third = await UserPools.ListUserPoolsAsync(2, second.NextToken, None);

        Assert.That(first.Items.Select(p => p.Name), Is.EqualTo(new[] { "pool0", "pool1" }));
        Assert.That(second.Items.Select(p => p.Name), Is.EqualTo(new[] { "pool2", "pool3" }));
        Assert.That(third.Items.Select(p => p.Name), Is.EqualTo(new[] { "pool4" }));
        Assert.That(third.NextToken, Is.Null);
    }

    [Test]
    public void A_user_pool_listing_refuses_a_token_of_another_listing()
    {
        var identityPoolsToken = PageCursor.Encode(PageCursorKind.Pools, 1);

        Assert.That(() => UserPools.ListUserPoolsAsync(10, identityPoolsToken, None), Throws.TypeOf<InvalidNextTokenException>());
    }
}
