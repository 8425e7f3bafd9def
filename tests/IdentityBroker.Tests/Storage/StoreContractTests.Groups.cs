using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IUserPoolGroupStore Groups =>
        Store.UserPools as IUserPoolGroupStore ?? throw new AssertionException("The store does not implement IUserPoolGroupStore.");

    private IUserPoolTagStore PoolTags =>
        Store.UserPools as IUserPoolTagStore ?? throw new AssertionException("The store does not implement IUserPoolTagStore.");

    private static UserPoolGroup NewGroup(string userPoolId, string name = "admins", int? precedence = 1) =>
        new(userPoolId, name, "the admins", "arn:aws:iam::000000000000:role/Admins", precedence, T0, T0.AddMinutes(2));

    private async Task<UserPoolGroup> CreateGroupAsync(string userPoolId, string name = "admins")
    {
        var group = NewGroup(userPoolId, name);
        Assert.That(await Groups.TryCreateGroupAsync(group, None), Is.EqualTo(GroupCreation.Created));
        return group;
    }

    [Test]
    public async Task A_group_round_trips_survives_a_reopen_and_is_found_by_its_name_in_any_case()
    {
        var pool = await CreateUserPoolAsync();
        var group = await CreateGroupAsync(pool.Id, "Admins");
        await ReopenAsync();

        AssertSameDocument(await Groups.GetGroupAsync(pool.Id, "Admins", None), group);
        AssertSameDocument(await Groups.GetGroupAsync(pool.Id, "ADMINS", None), group);
        Assert.That(await Groups.GetGroupAsync(NewUserPool().Id, "Admins", None), Is.Null, "a group belongs to its pool only");
    }

    [Test]
    public async Task A_group_name_taken_in_another_case_or_a_missing_pool_refuses_the_create_and_keeps_the_first()
    {
        var pool = await CreateUserPoolAsync();
        var first = await CreateGroupAsync(pool.Id, "Admins");

        Assert.That(await Groups.TryCreateGroupAsync(NewGroup(pool.Id, "ADMINS") with { Description = "second" }, None),
            Is.EqualTo(GroupCreation.NameTaken));
        Assert.That(await Groups.TryCreateGroupAsync(NewGroup(NewUserPool().Id), None), Is.EqualTo(GroupCreation.NoPool));
        AssertSameDocument(await Groups.GetGroupAsync(pool.Id, "admins", None), first);
    }

    [Test]
    public async Task Updating_and_deleting_a_group_act_once_and_only_on_existing_groups()
    {
        var pool = await CreateUserPoolAsync();
        var group = await CreateGroupAsync(pool.Id);
        var updated = group with { RoleArn = null, Precedence = 7, Description = null };

        Assert.That(await Groups.UpdateGroupAsync(updated, None), Is.True);
        Assert.That(await Groups.UpdateGroupAsync(NewGroup(pool.Id, "nobody"), None), Is.False);
        AssertSameDocument(await Groups.GetGroupAsync(pool.Id, group.GroupName, None), updated);
        Assert.That(await Groups.DeleteGroupAsync(pool.Id, group.GroupName, None), Is.True);
        Assert.That(await Groups.DeleteGroupAsync(pool.Id, group.GroupName, None), Is.False);
        Assert.That(await Groups.GetGroupAsync(pool.Id, group.GroupName, None), Is.Null);
    }

    [Test]
    public async Task Groups_are_listed_per_pool_in_creation_order_a_page_at_a_time_across_a_deletion()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        await CreateGroupAsync(other.Id, "other");
        for (var i = 0; i < 5; i++)
        {
            await CreateGroupAsync(pool.Id, $"g{i}");
        }

        var first = await Groups.ListGroupsAsync(pool.Id, 2, null, None);
        await Groups.DeleteGroupAsync(pool.Id, "g1", None);
        var second = await Groups.ListGroupsAsync(pool.Id, 2, first.NextToken, None);
        var third = await Groups.ListGroupsAsync(pool.Id, 2, second.NextToken, None);

        Assert.That(first.Items.Select(g => g.GroupName), Is.EqualTo(new[] { "g0", "g1" }));
        Assert.That(second.Items.Select(g => g.GroupName), Is.EqualTo(new[] { "g2", "g3" }));
        Assert.That(third.Items.Select(g => g.GroupName), Is.EqualTo(new[] { "g4" }));
        Assert.That(third.NextToken, Is.Null);
        Assert.That(() => Groups.ListGroupsAsync(pool.Id, 2, PageCursor.Encode(PageCursorKind.UserPoolClients, 1), None),
            Throws.TypeOf<InvalidNextTokenException>());
    }

    [Test]
    public async Task Members_are_added_once_listed_both_ways_in_membership_order_and_removed()
    {
        var pool = await CreateUserPoolAsync();
        await CreateGroupAsync(pool.Id, "a");
        await CreateGroupAsync(pool.Id, "b");
        await CreateGroupAsync(pool.Id, "c");

        Assert.That(await Groups.AddMemberAsync(pool.Id, "c", "alice", None), Is.True);
        Assert.That(await Groups.AddMemberAsync(pool.Id, "A", "alice", None), Is.True, "the group name in another case");
        Assert.That(await Groups.AddMemberAsync(pool.Id, "a", "bob", None), Is.True);
        Assert.That(await Groups.AddMemberAsync(pool.Id, "c", "alice", None), Is.True, "a second add is no error");
        Assert.That(await Groups.AddMemberAsync(pool.Id, "missing", "alice", None), Is.False);
        await ReopenAsync();

        var aliceFirst = await Groups.ListGroupsOfMemberAsync(pool.Id, "alice", 1, null, None);
        var aliceSecond = await Groups.ListGroupsOfMemberAsync(pool.Id, "alice", 1, aliceFirst.NextToken, None);
        var members = await Groups.ListMembersAsync(pool.Id, "a", 60, null, None);
        Assert.That(aliceFirst.Items.Select(g => g.GroupName), Is.EqualTo(new[] { "c" }));
        Assert.That(aliceSecond.Items.Select(g => g.GroupName), Is.EqualTo(new[] { "a" }));
        Assert.That(aliceSecond.NextToken, Is.Null);
        Assert.That(members.Items, Is.EqualTo(new[] { "alice", "bob" }));

        Assert.That(await Groups.RemoveMemberAsync(pool.Id, "a", "alice", None), Is.True);
        Assert.That(await Groups.RemoveMemberAsync(pool.Id, "a", "alice", None), Is.True, "removing a non-member is no error");
        Assert.That(await Groups.RemoveMemberAsync(pool.Id, "missing", "alice", None), Is.False);
        Assert.That((await Groups.ListMembersAsync(pool.Id, "a", 60, null, None)).Items, Is.EqualTo(new[] { "bob" }));
        Assert.That((await Groups.ListGroupsOfMemberAsync(pool.Id, "alice", 60, null, None)).Items.Select(g => g.GroupName),
            Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public async Task Member_listings_page_with_their_own_tokens()
    {
        var pool = await CreateUserPoolAsync();
        await CreateGroupAsync(pool.Id, "a");
        foreach (var member in new[] { "m1", "m2", "m3" })
        {
            await Groups.AddMemberAsync(pool.Id, "a", member, None);
        }

        var first = await Groups.ListMembersAsync(pool.Id, "a", 2, null, None);
        var second = await Groups.ListMembersAsync(pool.Id, "a", 2, first.NextToken, None);

        Assert.That(first.Items, Is.EqualTo(new[] { "m1", "m2" }));
        Assert.That(second.Items, Is.EqualTo(new[] { "m3" }));
        Assert.That(second.NextToken, Is.Null);
        Assert.That(() => Groups.ListMembersAsync(pool.Id, "a", 2, PageCursor.Encode(PageCursorKind.UserPoolGroups, 1), None),
            Throws.TypeOf<InvalidNextTokenException>());
        Assert.That(() => Groups.ListGroupsOfMemberAsync(pool.Id, "m1", 2, first.NextToken, None),
            Throws.TypeOf<InvalidNextTokenException>());
    }

    [Test]
    public async Task Deleting_a_group_drops_its_memberships_and_a_group_recreated_with_its_name_has_no_members()
    {
        var pool = await CreateUserPoolAsync();
        await CreateGroupAsync(pool.Id, "a");
        await CreateGroupAsync(pool.Id, "b");
        await Groups.AddMemberAsync(pool.Id, "a", "alice", None);
        await Groups.AddMemberAsync(pool.Id, "b", "alice", None);

        await Groups.DeleteGroupAsync(pool.Id, "a", None);
        await CreateGroupAsync(pool.Id, "a");

        Assert.That((await Groups.ListMembersAsync(pool.Id, "a", 60, null, None)).Items, Is.Empty);
        Assert.That((await Groups.ListGroupsOfMemberAsync(pool.Id, "alice", 60, null, None)).Items.Select(g => g.GroupName),
            Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task Removing_a_member_everywhere_drops_only_that_members_memberships()
    {
        var pool = await CreateUserPoolAsync();
        await CreateGroupAsync(pool.Id, "a");
        await CreateGroupAsync(pool.Id, "b");
        await Groups.AddMemberAsync(pool.Id, "a", "alice", None);
        await Groups.AddMemberAsync(pool.Id, "b", "alice", None);
        await Groups.AddMemberAsync(pool.Id, "b", "bob", None);

        await Groups.RemoveMemberFromAllGroupsAsync(pool.Id, "alice", None);

        Assert.That((await Groups.ListGroupsOfMemberAsync(pool.Id, "alice", 60, null, None)).Items, Is.Empty);
        Assert.That((await Groups.ListMembersAsync(pool.Id, "a", 60, null, None)).Items, Is.Empty);
        Assert.That((await Groups.ListMembersAsync(pool.Id, "b", 60, null, None)).Items, Is.EqualTo(new[] { "bob" }));
    }

    [Test]
    public async Task Deleting_a_user_pool_deletes_its_groups_and_memberships_and_a_pool_recreated_with_its_id_has_none()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        await CreateGroupAsync(pool.Id, "a");
        await CreateGroupAsync(other.Id, "a");
        await Groups.AddMemberAsync(pool.Id, "a", "alice", None);
        await Groups.AddMemberAsync(other.Id, "a", "alice", None);

        await UserPools.DeleteUserPoolAsync(pool.Id, None);
        Assert.That(await Groups.TryCreateGroupAsync(NewGroup(pool.Id, "late"), None), Is.EqualTo(GroupCreation.NoPool));
        await UserPools.TryCreateUserPoolAsync(pool, None);

        Assert.That(await Groups.GetGroupAsync(pool.Id, "a", None), Is.Null);
        Assert.That((await Groups.ListGroupsAsync(pool.Id, 60, null, None)).Items, Is.Empty);
        Assert.That((await Groups.ListGroupsOfMemberAsync(pool.Id, "alice", 60, null, None)).Items, Is.Empty);
        Assert.That(await Groups.TryCreateGroupAsync(NewGroup(pool.Id, "a"), None), Is.EqualTo(GroupCreation.Created));
        Assert.That((await Groups.ListMembersAsync(pool.Id, "a", 60, null, None)).Items, Is.Empty);
        Assert.That((await Groups.ListMembersAsync(other.Id, "a", 60, null, None)).Items, Is.EqualTo(new[] { "alice" }), "the other pool keeps its own");
    }

    [Test]
    public async Task Changing_a_pools_tags_replaces_only_its_tags_and_an_unknown_pool_is_not_found()
    {
        var pool = await CreateUserPoolAsync();

        Assert.That(await PoolTags.ChangeUserPoolTagsAsync(pool.Id, t => new Dictionary<string, string>(t!) { ["env"] = "prod" }, None), Is.True);
        Assert.That(await PoolTags.ChangeUserPoolTagsAsync(NewUserPool().Id, t => t, None), Is.False);
        await ReopenAsync();

        var stored = await UserPools.GetUserPoolAsync(pool.Id, None);
        AssertSameDocument(stored, pool with
        {
            Settings = pool.Settings with { UserPoolTags = new Dictionary<string, string> { ["team"] = "identity", ["env"] = "prod" } },
        });
    }

    [Test]
    public async Task Concurrent_tag_changes_all_land()
    {
        var pool = await CreateUserPoolAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => PoolTags.ChangeUserPoolTagsAsync(pool.Id,
            t => new Dictionary<string, string>(t ?? new Dictionary<string, string>()) { [$"k{i}"] = "v" }, None))));

        var tags = (await UserPools.GetUserPoolAsync(pool.Id, None))!.Settings.UserPoolTags!;
        Assert.That(tags.Keys, Is.EquivalentTo(new[] { "team" }.Concat(Enumerable.Range(0, 8).Select(i => $"k{i}"))));
    }

    [Test]
    public async Task Deleting_a_user_drops_its_memberships_and_leaves_the_others()
    {
        var pool = await CreateUserPoolAsync();
        await CreateGroupAsync(pool.Id, "a");
        var alice = NewUser(pool.Id, "alice");
        var bob = NewUser(pool.Id, "bob");
        await Users.TryCreateUserAsync(alice, KeysOf(alice), None);
        await Users.TryCreateUserAsync(bob, KeysOf(bob), None);
        await Groups.AddMemberAsync(pool.Id, "a", alice.Sub, None);
        await Groups.AddMemberAsync(pool.Id, "a", bob.Sub, None);

        Assert.That(await Users.DeleteUserAsync(pool.Id, alice.Sub, None), Is.True);

        Assert.That((await Groups.ListMembersAsync(pool.Id, "a", 60, null, None)).Items, Is.EqualTo(new[] { bob.Sub }));
        Assert.That((await Groups.ListGroupsOfMemberAsync(pool.Id, alice.Sub, 60, null, None)).Items, Is.Empty);
    }
}
