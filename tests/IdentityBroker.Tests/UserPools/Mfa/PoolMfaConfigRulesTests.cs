using IdentityBroker.UserPools.Mfa;

namespace IdentityBroker.Tests.UserPools.Mfa;

/// <summary>SetUserPoolMfaConfig's two refusals: ON/OPTIONAL without a factor, OFF with one.</summary>
[TestFixture]
public sealed class PoolMfaConfigRulesTests
{
    private static readonly PoolMfaFactors Totp = new(true, null, null);
    private static readonly PoolMfaFactors Sms = new(false, new SmsMfaFactor(null, null), null);
    private static readonly PoolMfaFactors Email = new(false, null, new EmailMfaFactor(null, null));

    [TestCase("ON")]
    [TestCase("OPTIONAL")]
    public void Required_or_optional_MFA_needs_a_factor(string mode)
    {
        Assert.That(PoolMfaConfigOperations.Refusal(mode, PoolMfaFactors.None), Is.EqualTo(MfaErrors.NoFactorWithMfa));
        Assert.That(new[] { Totp, Sms, Email }.Select(f => PoolMfaConfigOperations.Refusal(mode, f)), Is.All.Null);
    }

    [Test]
    public void MFA_off_refuses_any_factor()
    {
        Assert.That(new[] { Totp, Sms, Email }.Select(f => PoolMfaConfigOperations.Refusal("OFF", f)), Is.All.EqualTo(MfaErrors.FactorWithMfaOff));
        Assert.That(PoolMfaConfigOperations.Refusal("OFF", PoolMfaFactors.None), Is.Null);
    }
}
