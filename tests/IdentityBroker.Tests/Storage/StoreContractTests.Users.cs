using IdentityBroker.Storage;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IUserStore Users => Store.Users ?? throw new AssertionException("The store does not implement IUserStore.");

    private static PoolUser NewUser(string userPoolId, string username, string? email = null) => new()
    {
        UserPoolId = userPoolId,
        Username = username,
        Sub = Guid.NewGuid().ToString(),
        UserStatus = UserStatuses.ForceChangePassword,
        Attributes = email is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["email"] = email, ["email_verified"] = "true" },
        Password = new PasswordCredential("AQAAAAIAAYagAAAAE-hash", new SrpVerifier("00ab", "0123"), T0, T0.AddDays(7)),
        PasswordHistory = ["AQAAAAIAAYagAAAAE-older"],
        Mfa = new UserMfaSettings("SOFTWARE_TOKEN_MFA", false, true, "JBSWY3DPEHPK3PXP"),
        Failures = new SignInFailures(2, T0.AddMinutes(5)),
        CreationDate = T0,
        LastModifiedDate = T0,
    };

    private static string[] KeysOf(PoolUser user) =>
        user.Attribute("email") is { } email ? ["username:" + user.Username, "email:" + email] : ["username:" + user.Username];

    [Test]
    public async Task A_user_round_trips_at_version_one_and_is_found_by_sub_and_by_each_key_after_a_reopen()
    {
        var pool = await CreateUserPoolAsync();
        var user = NewUser(pool.Id, "alice", "alice@example.com");

        var write = await Users.TryCreateUserAsync(user, KeysOf(user), None);
        await ReopenAsync();

        Assert.That(write.Status, Is.EqualTo(UserWriteStatus.Written));
        var expected = user with { Version = 1 };
        AssertSameDocument(write.User, expected);
        AssertSameDocument(await Users.GetUserAsync(pool.Id, user.Sub, None), expected);
        AssertSameDocument(await Users.FindUserAsync(pool.Id, "username:alice", None), expected);
        AssertSameDocument(await Users.FindUserAsync(pool.Id, "email:alice@example.com", None), expected);
        Assert.That(await Users.FindUserAsync(pool.Id, "username:bob", None), Is.Null);
        Assert.That(await Users.GetUserAsync(NewUserPool().Id, user.Sub, None), Is.Null, "a user belongs to its pool only");
    }

    [Test]
    public async Task A_create_whose_key_another_user_holds_names_that_key_and_writes_nothing()
    {
        var pool = await CreateUserPoolAsync();
        var first = NewUser(pool.Id, "alice", "shared@example.com");
        await Users.TryCreateUserAsync(first, KeysOf(first), None);
        var second = NewUser(pool.Id, "bob", "shared@example.com");

        var write = await Users.TryCreateUserAsync(second, KeysOf(second), None);

        Assert.That(write.Status, Is.EqualTo(UserWriteStatus.KeyTaken));
        Assert.That(write.TakenKey, Is.EqualTo("email:shared@example.com"));
        Assert.That(await Users.GetUserAsync(pool.Id, second.Sub, None), Is.Null);
        Assert.That(await Users.FindUserAsync(pool.Id, "username:bob", None), Is.Null, "no key of a refused write is claimed");
        Assert.That((await Users.FindUserAsync(pool.Id, "email:shared@example.com", None))!.Sub, Is.EqualTo(first.Sub));
    }

    [Test]
    public async Task A_user_of_a_missing_pool_or_with_a_taken_sub_is_not_created()
    {
        var pool = await CreateUserPoolAsync();
        var user = NewUser(pool.Id, "alice");
        await Users.TryCreateUserAsync(user, KeysOf(user), None);

        Assert.That((await Users.TryCreateUserAsync(NewUser(NewUserPool().Id, "x"), ["username:x"], None)).Status,
            Is.EqualTo(UserWriteStatus.NoPool));
        Assert.That((await Users.TryCreateUserAsync(user with { Username = "other" }, ["username:other"], None)).Status,
            Is.EqualTo(UserWriteStatus.Conflict));
        Assert.That(await Users.FindUserAsync(pool.Id, "username:other", None), Is.Null);
    }

    [Test]
    public async Task An_update_at_the_stored_version_replaces_the_user_and_moves_its_keys()
    {
        var pool = await CreateUserPoolAsync();
        var user = NewUser(pool.Id, "alice", "old@example.com");
        var stored = (await Users.TryCreateUserAsync(user, KeysOf(user), None)).User!;
        var changed = stored with { Attributes = new Dictionary<string, string> { ["email"] = "new@example.com" } };

        var write = await Users.UpdateUserAsync(changed, KeysOf(changed), None);

        Assert.That(write.Status, Is.EqualTo(UserWriteStatus.Written));
        Assert.That(write.User!.Version, Is.EqualTo(2));
        AssertSameDocument(await Users.GetUserAsync(pool.Id, user.Sub, None), changed with { Version = 2 });
        Assert.That(await Users.FindUserAsync(pool.Id, "email:old@example.com", None), Is.Null, "the key it no longer holds is freed");
        Assert.That((await Users.FindUserAsync(pool.Id, "email:new@example.com", None))!.Sub, Is.EqualTo(user.Sub));
        var other = NewUser(pool.Id, "bob", "old@example.com");
        Assert.That((await Users.TryCreateUserAsync(other, KeysOf(other), None)).Status, Is.EqualTo(UserWriteStatus.Written));
    }

    [Test]
    public async Task An_update_at_a_stale_version_or_onto_a_taken_key_changes_nothing()
    {
        var pool = await CreateUserPoolAsync();
        var alice = NewUser(pool.Id, "alice", "alice@example.com");
        var bob = NewUser(pool.Id, "bob", "bob@example.com");
        var stored = (await Users.TryCreateUserAsync(alice, KeysOf(alice), None)).User!;
        await Users.TryCreateUserAsync(bob, KeysOf(bob), None);
        await Users.UpdateUserAsync(stored with { Enabled = false }, KeysOf(stored), None);
        var stealing = (await Users.GetUserAsync(pool.Id, alice.Sub, None))! with
        {
            Attributes = new Dictionary<string, string> { ["email"] = "bob@example.com" },
        };

        var stale = await Users.UpdateUserAsync(stored with { UserStatus = UserStatuses.Confirmed }, KeysOf(stored), None);
        var taken = await Users.UpdateUserAsync(stealing, KeysOf(stealing), None);
        var missing = await Users.UpdateUserAsync(NewUser(pool.Id, "carol"), ["username:carol"], None);

        Assert.That(stale.Status, Is.EqualTo(UserWriteStatus.Conflict));
        Assert.That(taken.Status, Is.EqualTo(UserWriteStatus.KeyTaken));
        Assert.That(taken.TakenKey, Is.EqualTo("email:bob@example.com"));
        Assert.That(missing.Status, Is.EqualTo(UserWriteStatus.NotFound));
        var now = (await Users.GetUserAsync(pool.Id, alice.Sub, None))!;
        Assert.That((now.Version, now.Enabled, now.UserStatus, now.Attribute("email")),
            Is.EqualTo((2L, false, UserStatuses.ForceChangePassword, "alice@example.com")));
        Assert.That((await Users.FindUserAsync(pool.Id, "email:alice@example.com", None))!.Sub, Is.EqualTo(alice.Sub));
    }

    [Test]
    public async Task Deleting_a_user_frees_its_keys_and_acts_once()
    {
        var pool = await CreateUserPoolAsync();
        var user = NewUser(pool.Id, "alice", "alice@example.com");
        await Users.TryCreateUserAsync(user, KeysOf(user), None);

        Assert.That(await Users.DeleteUserAsync(pool.Id, user.Sub, None), Is.True);
        Assert.That(await Users.DeleteUserAsync(pool.Id, user.Sub, None), Is.False);
        Assert.That(await Users.GetUserAsync(pool.Id, user.Sub, None), Is.Null);
        Assert.That(await Users.FindUserAsync(pool.Id, "username:alice", None), Is.Null);
        var again = NewUser(pool.Id, "alice", "alice@example.com");
        Assert.That((await Users.TryCreateUserAsync(again, KeysOf(again), None)).Status, Is.EqualTo(UserWriteStatus.Written));
        Assert.That((await Users.ListUsersAsync(pool.Id, 60, null, null, None)).Items.Select(u => u.Sub), Is.EqualTo(new[] { again.Sub }));
    }

    [Test]
    public async Task Deleting_a_user_pool_deletes_its_users_and_a_pool_recreated_with_its_id_has_none()
    {
        var pool = await CreateUserPoolAsync();
        var user = NewUser(pool.Id, "alice", "alice@example.com");
        await Users.TryCreateUserAsync(user, KeysOf(user), None);

        await UserPools.DeleteUserPoolAsync(pool.Id, None);
        Assert.That((await Users.TryCreateUserAsync(NewUser(pool.Id, "bob"), ["username:bob"], None)).Status,
            Is.EqualTo(UserWriteStatus.NoPool), "no user joins a deleted pool");
        await UserPools.TryCreateUserPoolAsync(pool, None);

        Assert.That(await Users.GetUserAsync(pool.Id, user.Sub, None), Is.Null);
        Assert.That(await Users.FindUserAsync(pool.Id, "username:alice", None), Is.Null);
        Assert.That((await Users.ListUsersAsync(pool.Id, 60, null, null, None)).Items, Is.Empty);
        Assert.That((await Users.TryCreateUserAsync(user, KeysOf(user), None)).Status, Is.EqualTo(UserWriteStatus.Written));
    }

    [Test]
    public async Task Users_are_listed_per_pool_in_creation_order_a_page_at_a_time_with_or_without_a_filter()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        await Users.TryCreateUserAsync(NewUser(other.Id, "other"), ["username:other"], None);
        foreach (var name in new[] { "u0", "x1", "u2", "x3", "u4", "u5" })
        {
            await Users.TryCreateUserAsync(NewUser(pool.Id, name), ["username:" + name], None);
        }

        var first = await Users.ListUsersAsync(pool.Id, 4, null, null, None);
        var second = await Users.ListUsersAsync(pool.Id, 4, first.NextToken, null, None);
        Func<PoolUser, bool> onlyU = u => u.Username.StartsWith('u');
        var firstU = await Users.ListUsersAsync(pool.Id, 2, null, onlyU, None);
        var secondU = await Users.ListUsersAsync(pool.Id, 2, firstU.NextToken, onlyU, None);
        var none = await Users.ListUsersAsync(pool.Id, 2, null, _ => false, None);

        Assert.That(first.Items.Select(u => u.Username), Is.EqualTo(new[] { "u0", "x1", "u2", "x3" }));
        Assert.That(second.Items.Select(u => u.Username), Is.EqualTo(new[] { "u4", "u5" }));
        Assert.That(second.NextToken, Is.Null);
        Assert.That(firstU.Items.Select(u => u.Username), Is.EqualTo(new[] { "u0", "u2" }));
        Assert.That(secondU.Items.Select(u => u.Username), Is.EqualTo(new[] { "u4", "u5" }));
        Assert.That(secondU.NextToken, Is.Null);
        Assert.That((none.Items, none.NextToken), Is.EqualTo((Array.Empty<PoolUser>(), (string?)null)));
        Assert.That(() => Users.ListUsersAsync(pool.Id, 2, PageCursor.Encode(PageCursorKind.UserPools, 1), null, None),
            Throws.TypeOf<InvalidNextTokenException>());
    }

    [Test]
    public async Task Parallel_creates_claiming_one_username_or_one_alias_let_exactly_one_win_and_leave_no_orphan_keys()
    {
        var pool = await CreateUserPoolAsync();
        var sameName = Enumerable.Range(0, 16).Select(_ => NewUser(pool.Id, "same")).ToList();
        var sameEmail = Enumerable.Range(0, 16).Select(i => NewUser(pool.Id, $"n{i}", "one@example.com")).ToList();

        var writes = await Task.WhenAll(sameName.Concat(sameEmail).Select(u => Task.Run(() => Users.TryCreateUserAsync(u, KeysOf(u), None))));

        Assert.That(writes.Take(16).Count(w => w.Status == UserWriteStatus.Written), Is.EqualTo(1));
        Assert.That(writes.Skip(16).Count(w => w.Status == UserWriteStatus.Written), Is.EqualTo(1));
        Assert.That(writes.Where(w => w.Status != UserWriteStatus.Written).Select(w => w.Status).Distinct(),
            Is.EqualTo(new[] { UserWriteStatus.KeyTaken }));
        var listed = (await Users.ListUsersAsync(pool.Id, 60, null, null, None)).Items;
        Assert.That(listed, Has.Count.EqualTo(2));
        var emailWinner = listed.Single(u => u.Username != "same");
        for (var i = 0; i < 16; i++)
        {
            var holder = await Users.FindUserAsync(pool.Id, $"username:n{i}", None);
            Assert.That(holder?.Sub, Is.EqualTo(sameEmail[i].Sub == emailWinner.Sub ? emailWinner.Sub : null), $"n{i}");
        }
    }
}
