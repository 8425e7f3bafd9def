using System.Text;
using IdentityBroker.UserPools.Mfa;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Mfa;

/// <summary>RFC 6238 codes (Appendix B's SHA-1 vectors), RFC 4648 base32, and the check's window and replay rule on a fixed clock.</summary>
[TestFixture]
public sealed class TotpTests
{
    /// <summary>RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".</summary>
    private static readonly byte[] Seed = Encoding.ASCII.GetBytes("12345678901234567890");

    private static readonly string Secret = Base32.Encode(Seed);

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_765_108_815);

    [TestCase(59L, "94287082")]
    [TestCase(1111111109L, "07081804")]
    [TestCase(1111111111L, "14050471")]
    [TestCase(1234567890L, "89005924")]
    [TestCase(2000000000L, "69279037")]
    [TestCase(20000000000L, "65353130")]
    public void Codes_match_the_RFC_6238_appendix_B_SHA1_vectors(long unixSeconds, string expected) =>
        Assert.That(Totp.Code(Seed, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), digits: 8), Is.EqualTo(expected));

    [Test]
    public void Six_digit_codes_are_the_last_six_digits_of_the_vectors() =>
        Assert.That(Totp.Code(Seed, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(59))), Is.EqualTo("287082"));

    [TestCase("", "")]
    [TestCase("f", "MY")]
    [TestCase("fo", "MZXQ")]
    [TestCase("foo", "MZXW6")]
    [TestCase("foob", "MZXW6YQ")]
    [TestCase("fooba", "MZXW6YTB")]
    [TestCase("foobar", "MZXW6YTBOI")]
    public void Base32_matches_RFC_4648_section_10_without_padding(string text, string encoded)
    {
        Assert.That(Base32.Encode(Encoding.ASCII.GetBytes(text)), Is.EqualTo(encoded));
        Assert.That(Base32.Decode(encoded.ToLowerInvariant()), Is.EqualTo(Encoding.ASCII.GetBytes(text)));
    }

    [Test]
    public void Base32_refuses_characters_outside_its_alphabet() => Assert.That(Base32.Decode("MZXW1"), Is.Null);

    [TestCase(-1)]
    [TestCase(0)]
    [TestCase(1)]
    public void The_current_step_and_one_either_side_are_accepted(int offset)
    {
        var check = new TotpCheck(new FakeTimeProvider(T0));
        var step = Totp.StepAt(T0) + offset;
        Assert.That(check.Accept(Secret, Totp.Code(Seed, step), null), Is.EqualTo(step));
    }

    [TestCase(-2)]
    [TestCase(2)]
    public void Codes_two_steps_away_are_refused(int offset)
    {
        var check = new TotpCheck(new FakeTimeProvider(T0));
        Assert.That(check.Accept(Secret, Totp.Code(Seed, Totp.StepAt(T0) + offset), null), Is.Null);
    }

    [Test]
    public void A_code_accepted_once_is_refused_the_second_time()
    {
        var check = new TotpCheck(new FakeTimeProvider(T0));
        var code = Totp.Code(Seed, Totp.StepAt(T0));
        var accepted = check.Accept(Secret, code, null);

        Assert.That(accepted, Is.Not.Null);
        Assert.That(check.Accept(Secret, code, accepted), Is.Null);
    }

    [Test]
    public void A_code_of_a_step_before_the_last_accepted_one_is_refused()
    {
        var check = new TotpCheck(new FakeTimeProvider(T0));
        var now = Totp.StepAt(T0);
        Assert.That(check.Accept(Secret, Totp.Code(Seed, now - 1), lastAcceptedStep: now), Is.Null);
        Assert.That(check.Accept(Secret, Totp.Code(Seed, now + 1), lastAcceptedStep: now), Is.EqualTo(now + 1));
    }

    [Test]
    public void The_window_moves_with_the_clock()
    {
        var time = new FakeTimeProvider(T0);
        var check = new TotpCheck(time);
        var code = Totp.Code(Seed, Totp.StepAt(T0));
        time.Advance(TimeSpan.FromSeconds(2 * Totp.StepSeconds));

        Assert.That(check.Accept(Secret, code, null), Is.Null);
    }

    [TestCase(null)]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase("12345a")]
    public void Malformed_codes_are_refused(string? code) =>
        Assert.That(new TotpCheck(new FakeTimeProvider(T0)).Accept(Secret, code, null), Is.Null);
}
