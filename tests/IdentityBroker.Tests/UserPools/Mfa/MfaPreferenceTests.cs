using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.Mfa;

/// <summary>SetUserMFAPreference's rules on one user record: what can be enabled, what is preferred, what a call leaves alone.</summary>
[TestFixture]
public sealed class MfaPreferenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static PoolUser User(Func<PoolUser, PoolUser>? change = null)
    {
        var user = new PoolUser
        {
            UserPoolId = "us-east-1_Example", Username = "lena", Sub = Guid.NewGuid().ToString(), UserStatus = UserStatuses.Confirmed,
            CreationDate = T0, LastModifiedDate = T0,
            Attributes = new Dictionary<string, string> { ["email"] = "lena@example.com", ["phone_number"] = "+15555550100" },
            Mfa = UserMfaSettings.None with { TotpSecret = "JBSWY3DPEHPK3PXP" },
        };
        return change is null ? user : change(user);
    }

    private static SetMfaPreference Set(MfaFactorPreference? sms = null, MfaFactorPreference? totp = null, MfaFactorPreference? email = null) =>
        new(new MfaUser("us-east-1_Example", "lena"), sms, totp, email);

    private static readonly MfaFactorPreference Preferred = new(true, true);
    private static readonly MfaFactorPreference Enabled = new(true, false);
    private static readonly MfaFactorPreference Disabled = new(false, false);

    [Test]
    public void Enabling_and_preferring_the_software_token_records_both()
    {
        var mfa = MfaPreferenceOperations.Apply(User(), Set(totp: Preferred)).Value.Mfa;
        Assert.That((mfa.TotpEnabled, mfa.PreferredMethod), Is.EqualTo((true, MfaKinds.SoftwareToken)));
    }

    [Test]
    public void The_software_token_cannot_be_enabled_before_it_is_verified()
    {
        var result = MfaPreferenceOperations.Apply(User(u => u with { Mfa = UserMfaSettings.None }), Set(totp: Enabled));
        Assert.That(result.Error, Is.EqualTo(MfaErrors.NoDeliveryFor(MfaKinds.SoftwareToken)));
    }

    [TestCase("phone_number", MfaKinds.Sms)]
    [TestCase("email", MfaKinds.Email)]
    public void A_factor_without_its_address_cannot_be_enabled(string attribute, string kind)
    {
        var user = User(u => u with { Attributes = u.Attributes.Where(a => a.Key != attribute).ToDictionary() });
        var command = kind == MfaKinds.Sms ? Set(sms: Enabled) : Set(email: Enabled);
        Assert.That(MfaPreferenceOperations.Apply(user, command).Error, Is.EqualTo(MfaErrors.NoDeliveryFor(kind)));
    }

    [Test]
    public void Two_preferred_factors_in_one_call_are_refused() =>
        Assert.That(MfaPreferenceOperations.Apply(User(), Set(sms: Preferred, totp: Preferred)).Error, Is.EqualTo(MfaErrors.TwoPreferred));

    [Test]
    public void Preferring_a_factor_being_disabled_is_refused() =>
        Assert.That(MfaPreferenceOperations.Apply(User(), Set(sms: new(false, true))).Error, Is.EqualTo(MfaErrors.PreferredNotEnabled(MfaKinds.Sms)));

    [Test]
    public void Preferring_another_factor_moves_the_preference_and_keeps_the_first_enabled()
    {
        var first = MfaPreferenceOperations.Apply(User(), Set(totp: Preferred)).Value;
        var mfa = MfaPreferenceOperations.Apply(first, Set(sms: Preferred)).Value.Mfa;
        Assert.That((mfa.TotpEnabled, mfa.SmsEnabled, mfa.PreferredMethod), Is.EqualTo((true, true, MfaKinds.Sms)));
    }

    [Test]
    public void Disabling_the_preferred_factor_leaves_no_preference_and_keeps_the_token()
    {
        var first = MfaPreferenceOperations.Apply(User(), Set(totp: Preferred)).Value;
        var mfa = MfaPreferenceOperations.Apply(first, Set(totp: Disabled)).Value.Mfa;
        Assert.That((mfa.TotpEnabled, mfa.PreferredMethod, mfa.TotpSecret), Is.EqualTo((false, (string?)null, "JBSWY3DPEHPK3PXP")));
    }

    [Test]
    public void A_factor_left_out_keeps_its_state()
    {
        var first = MfaPreferenceOperations.Apply(User(), Set(email: Preferred)).Value;
        var mfa = MfaPreferenceOperations.Apply(first, Set(sms: Enabled)).Value.Mfa;
        Assert.That((mfa.EmailEnabled, mfa.SmsEnabled, mfa.PreferredMethod), Is.EqualTo((true, true, MfaKinds.Email)));
    }

    [Test]
    public void The_settings_never_print_the_secret() =>
        Assert.That((User().Mfa with { PendingTotpSecret = "PENDINGSECRETXYZ" }).ToString(), Does.Not.Contain("JBSWY3DP").And.Not.Contain("PENDING"));
}
