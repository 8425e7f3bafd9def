using IdentityBroker.UserPools.Groups;

namespace IdentityBroker.Tests.UserPools.Groups;

/// <summary>The group claims (cognito:groups, cognito:roles, cognito:preferred_role) from a user's groups.</summary>
[TestFixture]
public sealed class GroupRolesTests
{
    private const string Admin = "arn:aws:iam::000000000000:role/Admin";
    private const string Editor = "arn:aws:iam::000000000000:role/Editor";
    private const string Reader = "arn:aws:iam::000000000000:role/Reader";
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static UserPoolGroup Group(string name, string? role, int? precedence) =>
        new("us-east-1_Example", name, null, role, precedence, T0, T0);

    [Test]
    public void No_groups_give_no_claims()
    {
        var claims = GroupRoles.For([]);

        Assert.That(claims.Groups, Is.Empty);
        Assert.That(claims.Roles, Is.Empty);
        Assert.That(claims.PreferredRole, Is.Null);
    }

    [Test]
    public void The_preferred_role_is_the_role_of_the_lowest_precedence_group_that_has_one()
    {
        var claims = GroupRoles.For([Group("readers", Reader, 5), Group("no-role", null, 0), Group("admins", Admin, 1), Group("editors", Editor, 3)]);

        Assert.That(claims.Groups, Is.EqualTo(new[] { "readers", "no-role", "admins", "editors" }), "every group, in the order given");
        Assert.That(claims.Roles, Is.EqualTo(new[] { Admin, Editor, Reader }), "distinct roles, highest precedence first");
        Assert.That(claims.PreferredRole, Is.EqualTo(Admin), "precedence 0 has no role, so precedence 1 decides");
    }

    [Test]
    public void A_group_without_precedence_ranks_below_any_group_with_one()
    {
        var claims = GroupRoles.For([Group("unranked", Admin, null), Group("ranked", Reader, 100)]);

        Assert.That(claims.PreferredRole, Is.EqualTo(Reader));
        Assert.That(claims.Roles, Is.EqualTo(new[] { Reader, Admin }));
    }

    [Test]
    public void A_single_group_without_precedence_still_gives_its_role()
    {
        Assert.That(GroupRoles.For([Group("only", Editor, null)]).PreferredRole, Is.EqualTo(Editor));
    }

    [Test]
    public void Tied_top_groups_with_different_roles_set_no_preferred_role_but_keep_both_roles()
    {
        var claims = GroupRoles.For([Group("a", Admin, 2), Group("b", Editor, 2), Group("c", Reader, 9)]);

        Assert.That(claims.PreferredRole, Is.Null, "the model: neither group takes precedence, the claim is not set");
        Assert.That(claims.Roles, Is.EqualTo(new[] { Admin, Editor, Reader }));
    }

    [Test]
    public void Tied_top_groups_with_the_same_role_give_that_role()
    {
        var claims = GroupRoles.For([Group("a", Editor, 2), Group("b", Editor, 2), Group("c", Admin, 9)]);

        Assert.That(claims.PreferredRole, Is.EqualTo(Editor));
        Assert.That(claims.Roles, Is.EqualTo(new[] { Editor, Admin }), "a role shared by two groups is listed once");
    }

    [Test]
    public void Tied_groups_without_precedence_and_with_different_roles_set_no_preferred_role()
    {
        Assert.That(GroupRoles.For([Group("a", Admin, null), Group("b", Editor, null)]).PreferredRole, Is.Null);
    }

    [Test]
    public void Groups_without_roles_give_names_only()
    {
        var claims = GroupRoles.For([Group("a", null, 0), Group("b", null, null)]);

        Assert.That(claims.Groups, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(claims.Roles, Is.Empty);
        Assert.That(claims.PreferredRole, Is.Null);
    }

    [Test]
    public void The_highest_precedence_value_still_ranks_above_no_precedence()
    {
        Assert.That(GroupRoles.For([Group("none", Admin, null), Group("max", Reader, int.MaxValue)]).PreferredRole, Is.EqualTo(Reader));
    }
}
