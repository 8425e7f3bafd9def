namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Test]
    public async Task A_client_is_found_by_its_id_alone_and_no_longer_once_it_or_its_pool_is_deleted()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        var client = NewClient(pool.Id);
        var deleted = NewClient(pool.Id, "deleted");
        var inOther = NewClient(other.Id, "other");
        foreach (var c in new[] { client, deleted, inOther })
        {
            await UserPools.TryCreateClientAsync(c, None);
        }

        await UserPools.DeleteClientAsync(pool.Id, deleted.ClientId, None);
        var foundBeforePoolDeletion = await UserPools.FindClientAsync(inOther.ClientId, None);
        await UserPools.DeleteUserPoolAsync(other.Id, None);

        Assert.Multiple(async () =>
        {
            Assert.That(await UserPools.FindClientAsync(client.ClientId, None), Is.EqualTo(client).Using<Object>(SameClient));
            Assert.That(foundBeforePoolDeletion?.UserPoolId, Is.EqualTo(other.Id));
            Assert.That(await UserPools.FindClientAsync(deleted.ClientId, None), Is.Null);
            Assert.That(await UserPools.FindClientAsync(inOther.ClientId, None), Is.Null, "a deleted pool's clients are gone");
            Assert.That(await UserPools.FindClientAsync("nosuchclient00000000000000", None), Is.Null);
        });
    }

    private static bool SameClient(object? a, object? b) =>
        a is IdentityBroker.UserPools.Pools.UserPoolClient x && b is IdentityBroker.UserPools.Pools.UserPoolClient y
        && x.ClientId == y.ClientId && x.UserPoolId == y.UserPoolId && x.Settings.ClientName == y.Settings.ClientName;
}
