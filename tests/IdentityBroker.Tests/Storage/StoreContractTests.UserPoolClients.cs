using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static UserPoolClient NewClient(string userPoolId, string name = "app") => new(
        userPoolId,
        Guid.NewGuid().ToString("N")[..26],
        "s3cr3t-generated-secret-value-0123456789abcdefghijk",
        new UserPoolClientSettings(name, 30, 60, 120, new TokenValidityUnits("minutes", "minutes", "days"),
            ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], ["https://app.example.com/callback"], ["https://app.example.com/"],
            ["code"], ["openid", "email"], true, "ENABLED", true),
        T0,
        T0);

    private async Task<UserPool> CreateUserPoolAsync()
    {
        var pool = NewUserPool();
        await UserPools.TryCreateUserPoolAsync(pool, None);
        return pool;
    }

    [Test]
    public async Task User_pool_client_with_its_settings_round_trips_and_survives_a_reopen()
    {
        var pool = await CreateUserPoolAsync();
        var client = NewClient(pool.Id);

        Assert.That(await UserPools.TryCreateClientAsync(client, None), Is.True);
        await ReopenAsync();

        AssertSameDocument(await UserPools.GetClientAsync(pool.Id, client.ClientId, None), client);
        Assert.That(await UserPools.GetClientAsync(NewUserPool().Id, client.ClientId, None), Is.Null, "a client belongs to its pool only");
    }

    [Test]
    public async Task A_client_of_a_missing_pool_is_not_created()
    {
        var client = NewClient(NewUserPool().Id);

        Assert.That(await UserPools.TryCreateClientAsync(client, None), Is.False);
        Assert.That(await UserPools.GetClientAsync(client.UserPoolId, client.ClientId, None), Is.Null);
    }

    [Test]
    public async Task Updating_and_deleting_a_client_act_once_and_only_on_existing_clients()
    {
        var pool = await CreateUserPoolAsync();
        var client = NewClient(pool.Id);
        await UserPools.TryCreateClientAsync(client, None);
        var updated = client with { Settings = client.Settings with { ClientName = "renamed", CallbackURLs = null } };

        Assert.That(await UserPools.UpdateClientAsync(updated, None), Is.True);
        Assert.That(await UserPools.UpdateClientAsync(NewClient(pool.Id), None), Is.False);
        AssertSameDocument(await UserPools.GetClientAsync(pool.Id, client.ClientId, None), updated);
        Assert.That(await UserPools.DeleteClientAsync(pool.Id, client.ClientId, None), Is.True);
        Assert.That(await UserPools.DeleteClientAsync(pool.Id, client.ClientId, None), Is.False);
        Assert.That(await UserPools.GetClientAsync(pool.Id, client.ClientId, None), Is.Null);
    }

    [Test]
    public async Task Deleting_a_user_pool_deletes_its_clients_and_a_pool_recreated_with_its_id_has_none()
    {
        var pool = await CreateUserPoolAsync();
        var client = NewClient(pool.Id);
        await UserPools.TryCreateClientAsync(client, None);

        await UserPools.DeleteUserPoolAsync(pool.Id, None);
        Assert.That(await UserPools.TryCreateClientAsync(NewClient(pool.Id), None), Is.False, "no client joins a deleted pool");
        await UserPools.TryCreateUserPoolAsync(pool, None);

        Assert.That(await UserPools.GetClientAsync(pool.Id, client.ClientId, None), Is.Null);
        Assert.That((await UserPools.ListClientsAsync(pool.Id, 60, null, None)).Items, Is.Empty);
    }

    [Test]
    public async Task Clients_are_listed_per_pool_in_creation_order_a_page_at_a_time()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        await UserPools.TryCreateClientAsync(NewClient(other.Id, "other"), None);
        for (var i = 0; i < 3; i++)
        {
            await UserPools.TryCreateClientAsync(NewClient(pool.Id, $"app{i}"), None);
        }

        var first = await UserPools.ListClientsAsync(pool.Id, 2, null, None);
        var second = await UserPools.ListClientsAsync(pool.Id, 2, first.NextToken, None);

        Assert.That(first.Items.Select(c => c.Settings.ClientName), Is.EqualTo(new[] { "app0", "app1" }));
        Assert.That(second.Items.Select(c => c.Settings.ClientName), Is.EqualTo(new[] { "app2" }));
        Assert.That(second.NextToken, Is.Null);
        Assert.That(() => UserPools.ListClientsAsync(pool.Id, 2, PageCursor.Encode(PageCursorKind.UserPools, 1), None),
            Throws.TypeOf<InvalidNextTokenException>());
    }
}
