using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Tags;

namespace IdentityBroker.Tests.UserPools.Groups;

[TestFixture]
public sealed class UserPoolTagSetTests
{
    [Test]
    public void Adding_tags_sets_new_keys_and_replaces_existing_values()
    {
        var tags = UserPoolTagSet.Add(new Dictionary<string, string> { ["team"] = "a", ["env"] = "dev" }, new Dictionary<string, string> { ["env"] = "prod", ["cost"] = "42" });

        Assert.That(tags, Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "a", ["env"] = "prod", ["cost"] = "42" }));
    }

    [Test]
    public void Adding_past_fifty_tags_is_refused_and_fifty_are_allowed()
    {
        var fortyNine = Enumerable.Range(0, 49).ToDictionary(i => $"k{i}", _ => "v");

        Assert.That(UserPoolTagSet.Add(fortyNine, new Dictionary<string, string> { ["k49"] = "v" })!.Count, Is.EqualTo(50));
        Assert.That(UserPoolTagSet.Add(fortyNine, new Dictionary<string, string> { ["x"] = "v", ["y"] = "v" }), Is.Null);
        Assert.That(UserPoolTagSet.Add(fortyNine, new Dictionary<string, string> { ["k0"] = "w" })!.Count, Is.EqualTo(49), "replacing a value adds no tag");
    }

    [Test]
    public void Removing_tags_ignores_missing_keys_and_leaves_no_empty_set()
    {
        var current = new Dictionary<string, string> { ["team"] = "a", ["env"] = "dev" };

        Assert.That(UserPoolTagSet.Remove(current, ["env", "absent"]), Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "a" }));
        Assert.That(UserPoolTagSet.Remove(current, ["env", "team"]), Is.Null);
        Assert.That(UserPoolTagSet.Remove(null, ["env"]), Is.Null);
    }

    [TestCase("Admins", "ADMINS")]
    [TestCase("admins", "ADMINS")]
    [TestCase("Ünïcode", "ÜNÏCODE")]
    public void Group_names_are_keyed_without_regard_to_case(string name, string key) =>
        Assert.That(GroupNames.Key(name), Is.EqualTo(key));
}
