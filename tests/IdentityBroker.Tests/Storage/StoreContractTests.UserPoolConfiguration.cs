using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.ResourceServers;

namespace IdentityBroker.Tests.Storage;

/// <summary>The user-pool part of a configuration apply (docs/config-as-code.md), on every store: all in one call, or nothing.</summary>
public abstract partial class StoreContractTests
{
    private static ConfigurationChanges UserPoolChanges(
        IReadOnlyList<StoredChange<UserPool>>? pools = null,
        IReadOnlyList<StoredChange<UserPoolClient>>? clients = null,
        IReadOnlyList<StoredChange<UserPoolGroup>>? groups = null,
        IReadOnlyList<StoredChange<ResourceServer>>? servers = null) =>
        Changes() with { UserPools = new UserPoolChanges(pools ?? [], clients ?? [], groups ?? []) { ResourceServers = servers ?? [] } };

    private static string ClientKey(UserPoolClient c) => $"{c.UserPoolId}/{c.ClientId}";

    private static string GroupKey(UserPoolGroup g) => $"{g.UserPoolId}/{GroupNames.Key(g.GroupName)}";

    [Test]
    public async Task A_configuration_apply_creates_updates_and_deletes_user_pools_clients_and_groups_in_one_call()
    {
        var kept = await CreateUserPoolAsync();
        var keptClient = NewClient(kept.Id, "kept");
        var goneClient = NewClient(kept.Id, "gone");
        await UserPools.TryCreateClientAsync(keptClient, None);
        await UserPools.TryCreateClientAsync(goneClient, None);
        var keptGroup = await CreateGroupAsync(kept.Id, "Editors");
        var goneGroup = await CreateGroupAsync(kept.Id, "Gone");
        var deleted = await CreateUserPoolAsync();
        var deletedClient = NewClient(deleted.Id);
        await UserPools.TryCreateClientAsync(deletedClient, None);
        var created = NewUserPool("created");
        var createdClient = NewClient(created.Id, "new");
        var createdGroup = NewGroup(created.Id, "Admins");
        var newGroupOfKept = NewGroup(kept.Id, "Readers");
        var servers = (IResourceServerStore)Store.UserPools!;
        var keptServer = new ResourceServer(kept.Id, "https://api.example.com", "api", [new ResourceServerScope("read", "read it")]);
        await servers.TryCreateResourceServerAsync(keptServer, None);
        var newServer = new ResourceServer(created.Id, "https://new.example.com", "new", []);

        var write = await ConfigurationStore.ApplyConfigurationAsync(UserPoolChanges(
            pools: [new(created.Id, null, created), new(kept.Id, kept, kept with { Name = "renamed" }), new(deleted.Id, deleted, null)],
            clients:
            [
                new(ClientKey(createdClient), null, createdClient),
                new(ClientKey(keptClient), keptClient, keptClient with { Settings = keptClient.Settings with { CallbackURLs = ["https://changed.example.com/cb"] } }),
                new(ClientKey(goneClient), goneClient, null),
                new(ClientKey(deletedClient), deletedClient, null),
            ],
            groups:
            [
                new(GroupKey(createdGroup), null, createdGroup),
                new(GroupKey(newGroupOfKept), null, newGroupOfKept),
                new(GroupKey(keptGroup), keptGroup, keptGroup with { Precedence = 7 }),
                new(GroupKey(goneGroup), goneGroup, null),
            ],
            servers:
            [
                new($"{created.Id}/{newServer.Identifier}", null, newServer),
                new($"{kept.Id}/{keptServer.Identifier}", keptServer, keptServer with { Name = "renamed api" }),
            ]), None);

        Assert.That(write.Applied, Is.True, string.Join(", ", write.Interfered));
        AssertSameDocument(await UserPools.GetUserPoolAsync(created.Id, None), created);
        Assert.That((await UserPools.GetUserPoolAsync(kept.Id, None))!.Name, Is.EqualTo("renamed"));
        Assert.That(await UserPools.GetUserPoolAsync(deleted.Id, None), Is.Null);
        Assert.That(await UserPools.FindClientAsync(deletedClient.ClientId, None), Is.Null, "a deleted pool takes its clients along");
        AssertSameDocument(await UserPools.FindClientAsync(createdClient.ClientId, None), createdClient);
        Assert.That((await UserPools.GetClientAsync(kept.Id, keptClient.ClientId, None))!.Settings.CallbackURLs, Is.EqualTo(new[] { "https://changed.example.com/cb" }));
        Assert.That(await UserPools.GetClientAsync(kept.Id, goneClient.ClientId, None), Is.Null);
        AssertSameDocument(await Groups.GetGroupAsync(created.Id, "admins", None), createdGroup);
        Assert.That((await Groups.GetGroupAsync(kept.Id, "Editors", None))!.Precedence, Is.EqualTo(7));
        Assert.That(await Groups.GetGroupAsync(kept.Id, "Gone", None), Is.Null);
        Assert.That((await Groups.ListGroupsAsync(kept.Id, 60, null, None)).Items.Select(g => g.GroupName), Is.EquivalentTo(new[] { "Editors", "Readers" }));
        Assert.That((await UserPools.ListUserPoolsAsync(60, null, None)).Items.Select(p => p.Id), Is.EquivalentTo(new[] { kept.Id, created.Id }));
        AssertSameDocument(await servers.GetResourceServerAsync(created.Id, newServer.Identifier, None), newServer);
        Assert.That((await servers.GetResourceServerAsync(kept.Id, keptServer.Identifier, None))!.Name, Is.EqualTo("renamed api"));
    }

    [Test]
    public async Task A_configuration_apply_whose_app_client_changed_since_it_was_read_writes_nothing_and_names_it()
    {
        var pool = await CreateUserPoolAsync();
        var client = NewClient(pool.Id);
        await UserPools.TryCreateClientAsync(client, None);
        var group = NewGroup(pool.Id, "Admins");
        var role = Role("beside");

        // Another writer changed the client after the plan read it.
        var theirs = client with { Settings = client.Settings with { ClientName = "theirs" } };
        await UserPools.UpdateClientAsync(theirs, None);
        var write = await ConfigurationStore.ApplyConfigurationAsync(UserPoolChanges(
            pools: [new(pool.Id, pool, pool with { Name = "mine" })],
            clients: [new(ClientKey(client), client, client with { Settings = client.Settings with { ClientName = "mine" } })],
            groups: [new(GroupKey(group), null, group)]) with { Roles = [new(role.RoleName, null, role)] }, None);

        Assert.That(write.Applied, Is.False);
        Assert.That(write.Interfered, Is.EqualTo(new[] { $"UserPoolClient {ClientKey(client)}" }));
        Assert.That(write.LeftChanged, Is.Empty);
        AssertSameDocument(await UserPools.GetClientAsync(pool.Id, client.ClientId, None), theirs);
        AssertSameDocument(await UserPools.GetUserPoolAsync(pool.Id, None), pool);
        Assert.That(await Groups.GetGroupAsync(pool.Id, "Admins", None), Is.Null);
        Assert.That(await Store.Iam.GetRoleAsync("beside", None), Is.Null);
    }
}
