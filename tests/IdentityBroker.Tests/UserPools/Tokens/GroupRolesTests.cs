using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Tests.UserPools.Tokens;

/// <summary>cognito:preferred_role by CreateGroup's Precedence rule (lowest value wins, null last, a tie of different roles sets none).</summary>
[TestFixture]
public sealed class GroupRolesTests
{
    private const string A = "arn:aws:iam::000000000000:role/A";
    private const string B = "arn:aws:iam::000000000000:role/B";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new[] { new GroupClaim("b", B, 2), new GroupClaim("a", A, 1) }, A).SetName("The lowest precedence with a role wins");
        yield return new TestCaseData(new[] { new GroupClaim("top", null, 0), new GroupClaim("b", B, 3) }, B).SetName("A group without a role is skipped");
        yield return new TestCaseData(new[] { new GroupClaim("none", A, null), new GroupClaim("b", B, 9) }, B).SetName("A null precedence comes after any value");
        yield return new TestCaseData(new[] { new GroupClaim("a", A, 1), new GroupClaim("b", B, 1) }, null).SetName("A tie of different roles sets no preferred role");
        yield return new TestCaseData(new[] { new GroupClaim("a", A, 1), new GroupClaim("b", A, 1) }, A).SetName("A tie of the same role keeps it");
        yield return new TestCaseData(new[] { new GroupClaim("a", A, null), new GroupClaim("b", B, null) }, null).SetName("Only null precedences with different roles tie");
        yield return new TestCaseData(new[] { new GroupClaim("a", null, 1) }, null).SetName("No role at all");
    }

    [TestCaseSource(nameof(Cases))]
    public void The_preferred_role_follows_precedence(GroupClaim[] groups, string? preferred) =>
        Assert.That(GroupRoles.Of(groups).PreferredRole, Is.EqualTo(preferred));

    [Test]
    public void Groups_and_roles_are_listed_by_precedence_each_role_once()
    {
        var roles = GroupRoles.Of([new GroupClaim("z", A, null), new GroupClaim("y", B, 2), new GroupClaim("x", A, 1)]);

        Assert.That(roles.Groups, Is.EqualTo(new[] { "x", "y", "z" }));
        Assert.That(roles.Roles, Is.EqualTo(new[] { A, B }));
    }
}
