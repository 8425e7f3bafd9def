using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.Users;

/// <summary>The schema's type, constraints and mutability on a valid baseline, one broken value per case.</summary>
[TestFixture]
public sealed class SchemaConstraintsTests
{
    private static readonly UserPool Pool = new UserPool("us-east-1_Schema001", "schema", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Schema001",
        new UserPoolSettings(new IdentityBroker.UserPools.Passwords.PasswordPolicy(), UserPoolSettings.DeletionProtectionInactive, UserPoolSettings.MfaOff, null, null),
        null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)
    {
        Schema =
        [
            new SchemaAttribute("custom:tenant", "String", false, Mutable: false, false, "2", "8", null, null),
            new SchemaAttribute("custom:age", "Number", false, true, false, null, null, "0", "150"),
            new SchemaAttribute("custom:vip", "Boolean", false, true, false, null, null, null, null),
            new SchemaAttribute("custom:since", "DateTime", false, true, false, null, null, null, null),
        ],
    };

    private static Dictionary<string, string> Valid() => new(StringComparer.Ordinal)
    {
        ["custom:tenant"] = "acme",
        ["custom:age"] = "42",
        ["custom:vip"] = "true",
        ["custom:since"] = "2026-03-01T12:00:00Z",
    };

    [Test]
    public void Values_within_every_constraint_are_accepted_at_creation() =>
        Assert.That(SchemaConstraints.AtCreation(Pool, Valid()), Is.Null);

    [TestCase("custom:tenant", "a", "custom:tenant: String must be no shorter than 2 characters.")]
    [TestCase("custom:tenant", "acme-corp", "custom:tenant: String must be no longer than 8 characters.")]
    [TestCase("custom:age", "151", "custom:age: Number must be no greater than 150.")]
    [TestCase("custom:age", "-1", "custom:age: Number must be no less than 0.")]
    [TestCase("custom:age", "forty", "custom:age: Number is not a valid number.")]
    [TestCase("custom:vip", "yes", "custom:vip: Boolean must be true or false.")]
    [TestCase("custom:since", "yesterday", "custom:since: DateTime must be an ISO 8601 date and time.")]
    public void A_value_outside_its_attributes_type_or_constraints_is_refused_at_creation(string name, string value, string reason)
    {
        var given = Valid();
        given[name] = value;
        var error = SchemaConstraints.AtCreation(Pool, given);
        Assert.That((error?.Type, error?.Message), Is.EqualTo(("InvalidParameterException", "Attributes did not conform to the schema: " + reason)));
    }

    [Test]
    public void Lengths_count_characters_not_utf16_units() =>
        Assert.That(SchemaConstraints.AtCreation(Pool, new Dictionary<string, string> { ["custom:tenant"] = "😀😀😀😀😀😀😀😀" }), Is.Null);

    [Test]
    public void An_immutable_attribute_is_refused_in_any_update_even_to_a_valid_value()
    {
        var error = SchemaConstraints.AtUpdate(Pool, new Dictionary<string, string> { ["custom:tenant"] = "acme" });
        Assert.That((error?.Type, error?.Message), Is.EqualTo(("InvalidParameterException", "user.custom:tenant: Attribute cannot be updated.")));
    }

    [Test]
    public void A_mutable_attribute_is_updated_within_its_constraints_and_refused_outside_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SchemaConstraints.AtUpdate(Pool, new Dictionary<string, string> { ["custom:age"] = "150", ["name"] = "x" }), Is.Null);
            Assert.That(SchemaConstraints.AtUpdate(Pool, new Dictionary<string, string> { ["custom:age"] = "150.5" })?.Message,
                Is.EqualTo("user.custom:age: Number must be no greater than 150."));
        });
    }
}
