using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.Users;

public sealed class UserKeysTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static UserPool Pool(IReadOnlyList<string>? usernameAttributes = null, IReadOnlyList<string>? aliases = null, bool? caseSensitive = null) =>
        new("us-east-1_abc", "p", "arn", new UserPoolSettings(PasswordPolicy.Default, "INACTIVE", "OFF", null, null),
            usernameAttributes, aliases, T0, T0)
        {
            UsernameConfiguration = caseSensitive is { } c ? new UsernameConfiguration(c) : null,
        };

    private static PoolUser User(string username, params (string Name, string Value)[] attributes) => new()
    {
        UserPoolId = "us-east-1_abc",
        Username = username,
        Sub = "6f1c2c9e-0000-4000-8000-000000000001",
        UserStatus = UserStatuses.Confirmed,
        Attributes = attributes.ToDictionary(a => a.Name, a => a.Value),
        CreationDate = T0,
        LastModifiedDate = T0,
    };

    [Test]
    public void Without_sign_in_attributes_only_the_username_is_a_key_and_it_keeps_its_case_by_default()
    {
        var keys = UserKeys.Of(Pool(), User("Alice", ("email", "A@x.com"), ("email_verified", "true")));

        Assert.That(keys, Is.EqualTo(new[] { "username:Alice" }));
    }

    [Test]
    public void A_case_insensitive_pool_folds_the_username_and_the_email_but_not_the_phone_number()
    {
        var pool = Pool(usernameAttributes: ["email", "phone_number"], caseSensitive: false);

        var keys = UserKeys.Of(pool, User("Alice", ("email", "A@X.com"), ("phone_number", "+15550100")));

        Assert.That(keys, Is.EqualTo(new[] { "username:alice", "email:a@x.com", "phone_number:+15550100" }));
    }

    [Test]
    public void Username_attributes_are_keys_whether_verified_or_not()
    {
        var keys = UserKeys.Of(Pool(usernameAttributes: ["email"]), User("sub-name", ("email", "a@x.com")));

        Assert.That(keys, Does.Contain("email:a@x.com"));
    }

    [Test]
    public void Email_and_phone_aliases_are_keys_only_once_verified_and_preferred_username_always()
    {
        var pool = Pool(aliases: ["email", "phone_number", "preferred_username"]);

        var unverified = UserKeys.Of(pool, User("u", ("email", "a@x.com"), ("phone_number", "+1555"), ("preferred_username", "Ace")));
        var verified = UserKeys.Of(pool, User("u", ("email", "a@x.com"), ("email_verified", "true"),
            ("phone_number", "+1555"), ("phone_number_verified", "true")));

        Assert.That(unverified, Is.EqualTo(new[] { "username:u", "preferred_username:Ace" }));
        Assert.That(verified, Is.EqualTo(new[] { "username:u", "email:a@x.com", "phone_number:+1555" }));
    }

    [Test]
    public void Candidates_for_a_sign_in_name_are_the_username_then_each_sign_in_attribute()
    {
        var candidates = UserKeys.Candidates(Pool(aliases: ["email", "preferred_username"], caseSensitive: false), "Bob@X.com");

        Assert.That(candidates, Is.EqualTo(new[] { "username:bob@x.com", "email:bob@x.com", "preferred_username:bob@x.com" }));
        Assert.That(UserKeys.KindOf("preferred_username:a:b"), Is.EqualTo("preferred_username"));
    }
}
