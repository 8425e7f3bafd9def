using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.Users;

public sealed class UserFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly PoolUser Reddy = new()
    {
        UserPoolId = "us-east-1_abc",
        Username = "Reddy",
        Sub = "6f1c2c9e-0000-4000-8000-000000000001",
        UserStatus = UserStatuses.ForceChangePassword,
        Enabled = false,
        Attributes = new Dictionary<string, string> { ["family_name"] = "Re\"ddy", ["email"] = "r@x.com", ["custom:tier"] = "gold" },
        CreationDate = T0,
        LastModifiedDate = T0,
    };

    private static bool Matches(string filter)
    {
        var parsed = UserFilter.Parse(filter);
        Assert.That(parsed.IsSuccess, Is.True, filter);
        return parsed.Value!.Matches(Reddy);
    }

    [TestCase("family_name = \"Re\\\"ddy\"", true, TestName = "An escaped quote in the value")]
    [TestCase("email ^= \"r@\"", true, TestName = "A prefix")]
    [TestCase("email=\"r@x.com\"", true, TestName = "No spaces around the operator")]
    [TestCase("  email   =   \"r@x.com\"  ", true, TestName = "Spaces around everything")]
    [TestCase("email = \"R@x.com\"", false, TestName = "Values compare with their case")]
    [TestCase("username = \"Reddy\"", true, TestName = "username")]
    [TestCase("username = \"reddy\"", false, TestName = "username is case-sensitive")]
    [TestCase("cognito:user_status = \"force_change_password\"", true, TestName = "cognito:user_status is case-insensitive")]
    [TestCase("status = \"Disabled\"", true, TestName = "status is Enabled or Disabled")]
    [TestCase("status = \"disabled\"", false, TestName = "status is case-sensitive")]
    [TestCase("sub = \"6f1c2c9e-0000-4000-8000-000000000001\"", true, TestName = "sub")]
    [TestCase("given_name = \"x\"", false, TestName = "A missing attribute matches nothing")]
    public void A_filter_matches_as_the_API_reference_describes(string filter, bool expected) =>
        Assert.That(Matches(filter), Is.EqualTo(expected));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void An_empty_filter_lists_every_user(string? filter)
    {
        var parsed = UserFilter.Parse(filter);

        Assert.That((parsed.IsSuccess, parsed.Value), Is.EqualTo((true, (UserFilter?)null)));
    }

    [TestCase("email", TestName = "No operator")]
    [TestCase("email ~ \"a\"", TestName = "An unknown operator")]
    [TestCase("email = a", TestName = "An unquoted value")]
    [TestCase("email = \"a", TestName = "An unclosed quote")]
    [TestCase("email = \"a\" x", TestName = "Text after the value")]
    [TestCase("email = \"a\\", TestName = "A trailing backslash")]
    [TestCase("custom:tier = \"gold\"", TestName = "Custom attributes are not searchable")]
    [TestCase("address = \"x\"", TestName = "A standard attribute outside the searchable list")]
    [TestCase("= \"x\"", TestName = "No attribute name")]
    public void A_malformed_filter_is_InvalidParameterException(string filter)
    {
        var parsed = UserFilter.Parse(filter);

        Assert.That(parsed.Error, Is.EqualTo(UserErrors.BadFilter));
    }
}
