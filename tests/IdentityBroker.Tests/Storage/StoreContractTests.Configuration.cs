using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IConfigurationStore ConfigurationStore =>
        Store.Configuration ?? throw new AssertionException("The store under test has no configuration apply.");

    private static ConfigurationChanges Changes(
        IReadOnlyList<StoredChange<IamRole>>? roles = null,
        IReadOnlyList<StoredChange<OidcProvider>>? providers = null,
        IReadOnlyList<StoredChange<IdentityPool>>? pools = null) =>
        new(roles ?? [], providers ?? [], [], pools ?? []);

    [Test]
    public async Task A_configuration_apply_creates_updates_and_deletes_every_kind_in_one_call()
    {
        var updatedRole = Role("kept");
        var deletedRole = Role("gone");
        await Store.Iam.TryCreateRoleAsync(updatedRole, None);
        await Store.Iam.TryCreateRoleAsync(deletedRole, None);
        var pool = await CreatePoolAsync();
        var deletedPool = await CreatePoolAsync();
        var identity = await CreateIdentityAsync(deletedPool.IdentityPoolId, Google("in-deleted-pool"));
        var newPool = MinimalPool(name: "created");
        var newRole = Role("created");
        var provider = Provider("config.example.com");

        var write = await ConfigurationStore.ApplyConfigurationAsync(Changes(
            roles:
            [
                new(newRole.RoleName, null, newRole),
                new(updatedRole.RoleName, updatedRole, updatedRole with { Description = "changed" }),
                new(deletedRole.RoleName, deletedRole, null),
            ],
            providers: [new(provider.Arn, null, provider)],
            pools:
            [
                new(newPool.IdentityPoolId, null, newPool),
                new(pool.IdentityPoolId, pool, pool with { IdentityPoolName = "renamed", Roles = new Dictionary<string, string> { ["authenticated"] = newRole.Arn } }),
                new(deletedPool.IdentityPoolId, deletedPool, null),
            ]), None);

        Assert.That(write.Applied, Is.True, string.Join(", ", write.Interfered));
        AssertSameDocument(await Store.Iam.GetRoleAsync("created", None), newRole);
        Assert.That((await Store.Iam.GetRoleAsync("kept", None))!.Description, Is.EqualTo("changed"));
        Assert.That(await Store.Iam.GetRoleAsync("gone", None), Is.Null);
        AssertSameDocument(await Store.Iam.GetOidcProviderAsync(provider.Arn, None), provider);
        AssertSameDocument(await Store.Pools.GetPoolAsync(newPool.IdentityPoolId, None), newPool);
        Assert.That((await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None))!.IdentityPoolName, Is.EqualTo("renamed"));
        Assert.That(await Store.Pools.GetPoolAsync(deletedPool.IdentityPoolId, None), Is.Null);
        Assert.That(await Store.Identities.GetIdentityAsync(identity.IdentityId, None), Is.Null, "a deleted pool takes its identities along");
        var listed = await Store.Pools.ListPoolsAsync(60, null, None);
        Assert.That(listed.Items.Select(p => p.IdentityPoolId), Is.EquivalentTo(new[] { pool.IdentityPoolId, newPool.IdentityPoolId }));
    }

    [Test]
    public async Task A_configuration_apply_whose_resource_changed_since_it_was_read_writes_nothing_and_names_it()
    {
        var role = Role("raced");
        await Store.Iam.TryCreateRoleAsync(role, None);
        var pool = await CreatePoolAsync();

        // Another writer changed the pool after the plan read it.
        await Store.Pools.UpdatePoolAsync(pool with { IdentityPoolName = "theirs" }, None);
        var newRole = Role("mine");
        var write = await ConfigurationStore.ApplyConfigurationAsync(Changes(
            roles: [new(newRole.RoleName, null, newRole), new(role.RoleName, role, role with { Description = "mine" })],
            pools: [new(pool.IdentityPoolId, pool, pool with { IdentityPoolName = "mine" })]), None);

        Assert.That(write.Applied, Is.False);
        Assert.That(write.Interfered, Is.EqualTo(new[] { $"IdentityPool {pool.IdentityPoolId}" }));
        Assert.That(write.LeftChanged, Is.Empty);
        Assert.That(await Store.Iam.GetRoleAsync("mine", None), Is.Null);
        AssertSameDocument(await Store.Iam.GetRoleAsync("raced", None), role);
        Assert.That((await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None))!.IdentityPoolName, Is.EqualTo("theirs"));
    }

    [Test]
    public async Task A_configuration_apply_creating_what_another_writer_created_meanwhile_writes_nothing()
    {
        var theirs = Role("both") with { Description = "theirs" };
        await Store.Iam.TryCreateRoleAsync(theirs, None);
        var pool = MinimalPool();

        var write = await ConfigurationStore.ApplyConfigurationAsync(Changes(
            roles: [new("both", null, Role("both"))],
            pools: [new(pool.IdentityPoolId, null, pool)]), None);

        Assert.That(write.Interfered, Is.EqualTo(new[] { "Role both" }));
        AssertSameDocument(await Store.Iam.GetRoleAsync("both", None), theirs);
        Assert.That(await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None), Is.Null);
    }
}
