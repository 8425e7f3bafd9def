using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.Users;

public sealed class TemporaryPasswordsTests
{
    private static IEnumerable<TestCaseData> Policies()
    {
        yield return new TestCaseData(PasswordPolicy.Default).SetName("Cognito's default policy");
        yield return new TestCaseData(new PasswordPolicy { MinimumLength = 99 }).SetName("The longest minimum");
        yield return new TestCaseData(new PasswordPolicy
        {
            MinimumLength = 6, RequireUppercase = false, RequireLowercase = false, RequireNumbers = false, RequireSymbols = false,
        }).SetName("No requirement");
    }

    [TestCaseSource(nameof(Policies))]
    public void A_generated_temporary_password_satisfies_the_policy_and_is_never_shorter_than_12(PasswordPolicy policy)
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => TemporaryPasswords.Generate(policy)).ToList();

        Assert.That(passwords.Select(p => PasswordPolicyCheck.Check(policy, p)), Is.All.Null);
        Assert.That(passwords.Select(p => p.Length), Is.All.GreaterThanOrEqualTo(Math.Max(12, policy.MinimumLength)));
        Assert.That(passwords.Distinct().Count(), Is.EqualTo(passwords.Count), "random");
    }
}
