using IdentityBroker.UserPools.Passwords;

namespace IdentityBroker.Tests.UserPools.Passwords;

/// <summary>A password that meets the default policy, and one broken clause per case.</summary>
public sealed class PasswordPolicyCheckTests
{
    private const string Valid = "Abcdef1!";

    [Test]
    public void Password_meeting_every_clause_passes() =>
        Assert.That(PasswordPolicyCheck.Check(PasswordPolicy.Default, Valid), Is.Null);

    [TestCase("Abcde1!", "Password not long enough")]
    [TestCase("abcdef1!", "Password must have uppercase characters")]
    [TestCase("ABCDEF1!", "Password must have lowercase characters")]
    [TestCase("Abcdefg!", "Password must have numeric characters")]
    [TestCase("Abcdefg1", "Password must have symbol characters")]
    public void Failing_clause_is_named_with_Cognito_wording(string password, string clause)
    {
        var error = PasswordPolicyCheck.Check(PasswordPolicy.Default, password);
        Assert.That(error!.Type, Is.EqualTo("InvalidPasswordException"));
        Assert.That(error.Message, Is.EqualTo("Password did not conform with policy: " + clause));
        Assert.That(error.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void First_failing_clause_is_length_then_upper_lower_numeric_symbol() =>
        Assert.That(PasswordPolicyCheck.Check(PasswordPolicy.Default, "a")!.Message, Does.EndWith("Password not long enough"));

    [Test]
    public void Clauses_the_policy_does_not_require_are_not_checked()
    {
        var policy = new PasswordPolicy { MinimumLength = 6, RequireUppercase = false, RequireLowercase = false, RequireNumbers = false, RequireSymbols = false };
        Assert.That(PasswordPolicyCheck.Check(policy, "zzzzzz"), Is.Null);
        Assert.That(PasswordPolicyCheck.Check(policy, "zzzzz")!.Message, Does.EndWith("Password not long enough"));
    }

    [TestCaseSource(nameof(EachSymbol))]
    public void Every_Cognito_special_character_counts_as_a_symbol(char symbol) =>
        Assert.That(PasswordPolicyCheck.Check(PasswordPolicy.Default, "Abcdef1" + symbol), Is.Null);

    private static char[] EachSymbol() => PasswordPolicyCheck.Symbols.ToCharArray();

    [TestCase("Abcdef1é", TestName = "Latin letter outside Basic Latin is not a symbol")]
    [TestCase("Abcdef1€", TestName = "Currency sign outside Basic Latin is not a symbol")]
    public void Characters_outside_the_set_are_not_symbols(string password) =>
        Assert.That(PasswordPolicyCheck.Check(PasswordPolicy.Default, password)!.Message, Does.EndWith("Password must have symbol characters"));

    [Test]
    public void Uppercase_outside_Basic_Latin_does_not_count() =>
        Assert.That(PasswordPolicyCheck.Check(PasswordPolicy.Default, "Ébcdefg1!")!.Message,
            Does.EndWith("Password must have uppercase characters"));

    [Test]
    public void Longer_minimum_is_honoured()
    {
        var policy = PasswordPolicy.Default with { MinimumLength = 12 };
        Assert.That(PasswordPolicyCheck.Check(policy, "Abcdefghi1!")!.Message, Does.EndWith("Password not long enough"));
        Assert.That(PasswordPolicyCheck.Check(policy, "Abcdefghij1!"), Is.Null);
    }
}
