using System.Text.Json;
using IdentityBroker.UserPools.Passwords;

namespace IdentityBroker.Tests.UserPools.Passwords;

/// <summary>The policy's ranges and defaults against the facts of the cognito-idp service model kept in the repository.</summary>
public sealed class PasswordPolicyTests
{
    private static JsonElement Shape(string name)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "ModelFacts", "cognito-idp.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("shapes").GetProperty(name).Clone();
    }

    [TestCase("PasswordPolicyMinLengthType", PasswordPolicy.MinimumLengthFloor, PasswordPolicy.MinimumLengthCeiling)]
    [TestCase("TemporaryPasswordValidityDaysType", 0, PasswordPolicy.TemporaryPasswordValidityDaysCeiling)]
    [TestCase("PasswordHistorySizeType", 0, PasswordPolicy.PasswordHistorySizeCeiling)]
    public void Ranges_are_the_service_model_ones(string shape, int min, int max)
    {
        var json = Shape(shape);
        Assert.That(json.GetProperty("min").GetInt32(), Is.EqualTo(min));
        Assert.That(json.GetProperty("max").GetInt32(), Is.EqualTo(max));
    }

    [Test]
    public void Maximum_password_length_is_the_PasswordType_maximum() =>
        Assert.That(Shape("PasswordType").GetProperty("max").GetInt32(), Is.EqualTo(PasswordPolicy.MaximumPasswordLength));

    [Test]
    public void Policy_has_exactly_the_members_of_PasswordPolicyType()
    {
        var members = Shape("PasswordPolicyType").GetProperty("members").EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal);
        var properties = typeof(PasswordPolicy).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.That(properties, Is.EqualTo(members));
    }

    [Test]
    public void Defaults_are_a_new_Cognito_pool_ones()
    {
        var policy = PasswordPolicy.Default;
        Assert.That(policy.MinimumLength, Is.EqualTo(8));
        Assert.That(policy.RequireUppercase && policy.RequireLowercase && policy.RequireNumbers && policy.RequireSymbols, Is.True);
        Assert.That(policy.TemporaryPasswordValidityDays, Is.EqualTo(7));
        Assert.That(policy.PasswordHistorySize, Is.Zero);
    }

    [TestCase(5)]
    [TestCase(100)]
    public void Minimum_length_outside_6_to_99_is_refused(int length) =>
        Assert.That(() => new PasswordPolicy { MinimumLength = length }, Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(-1)]
    [TestCase(366)]
    public void Temporary_validity_outside_0_to_365_is_refused(int days) =>
        Assert.That(() => new PasswordPolicy { TemporaryPasswordValidityDays = days }, Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(-1)]
    [TestCase(25)]
    public void History_size_outside_0_to_24_is_refused(int size) =>
        Assert.That(() => new PasswordPolicy { PasswordHistorySize = size }, Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Temporary_password_expires_after_the_validity_days()
    {
        var issued = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        Assert.That((PasswordPolicy.Default with { TemporaryPasswordValidityDays = 3 }).TemporaryPasswordExpiry(issued), Is.EqualTo(issued.AddDays(3)));
    }
}
