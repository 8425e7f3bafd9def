using System.Numerics;
using IdentityBroker.UserPools.Srp;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Srp;

/// <summary>A full sign-in between <see cref="SrpTestClient"/> and <see cref="SrpServer"/>: one valid baseline, one mutation per test.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SrpServerTests
{
    private const string Pool = "Xy7PqR2s";
    private const string User = "d3b07384-d9a0-4c8e-9f1a-5b2d8e4c7a10";
    private const string Password = "Tr0ub4dor&3-horse";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 5, 3, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly SrpVerifier _verifier = SrpVerifier.Create(Pool, User, Password);
    private readonly SrpTestClient _client = new();

    private SrpChallenge Start() => SrpServer.Start(_verifier, _client.SrpA).Value;

    private PasswordClaim ValidClaim(SrpChallenge challenge, string password = Password) =>
        _client.Claim(Pool, User, password, challenge, CognitoTimestamp.ToText(Now));

    [Test]
    public void Correct_password_claim_is_accepted()
    {
        var challenge = Start();
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, ValidClaim(challenge), _clock).IsSuccess, Is.True);
    }

    [Test]
    public void Wrong_password_is_refused_as_incorrect_username_or_password()
    {
        var challenge = Start();
        var result = SrpServer.VerifyClaim(challenge, Pool, User, ValidClaim(challenge, "Tr0ub4dor&3-horsf"), _clock);
        Assert.That(result.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(result.Error.Message, Is.EqualTo("Incorrect username or password."));
    }

    [Test]
    public void Claim_signed_for_another_user_id_is_refused()
    {
        var challenge = Start();
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, "someone-else", ValidClaim(challenge), _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Claim_signed_for_another_pool_name_is_refused()
    {
        var challenge = Start();
        Assert.That(SrpServer.VerifyClaim(challenge, "OtherPool", User, ValidClaim(challenge), _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Tampered_secret_block_is_refused()
    {
        var challenge = Start();
        var block = Convert.FromBase64String(challenge.SecretBlock);
        block[0] ^= 1;
        var claim = ValidClaim(challenge) with { SecretBlock = Convert.ToBase64String(block) };
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, claim, _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Tampered_timestamp_is_refused()
    {
        var challenge = Start();
        var claim = ValidClaim(challenge) with { Timestamp = CognitoTimestamp.ToText(Now.AddSeconds(1)) };
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, claim, _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Tampered_signature_is_refused()
    {
        var challenge = Start();
        var claim = ValidClaim(challenge);
        var signature = Convert.FromBase64String(claim.Signature!);
        signature[^1] ^= 0x80;
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, claim with { Signature = Convert.ToBase64String(signature) }, _clock).IsSuccess, Is.False);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not base64!")]
    public void Missing_or_malformed_signature_is_refused(string? signature)
    {
        var challenge = Start();
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, ValidClaim(challenge) with { Signature = signature }, _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Claim_from_another_challenge_of_the_same_user_is_refused()
    {
        var first = Start();
        var second = Start();
        Assert.That(SrpServer.VerifyClaim(second, Pool, User, ValidClaim(first), _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Signed_timestamp_older_than_the_accepted_skew_is_refused()
    {
        var challenge = Start();
        var claim = ValidClaim(challenge);
        _clock.Advance(CognitoTimestamp.AcceptedSkew + TimeSpan.FromSeconds(1));
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, claim, _clock).IsSuccess, Is.False);
    }

    [Test]
    public void Signed_timestamp_within_the_accepted_skew_is_accepted()
    {
        var challenge = Start();
        var claim = ValidClaim(challenge);
        _clock.Advance(CognitoTimestamp.AcceptedSkew);
        Assert.That(SrpServer.VerifyClaim(challenge, Pool, User, claim, _clock).IsSuccess, Is.True);
    }

    [Test]
    public void A_equal_to_N_is_refused_because_A_mod_N_is_zero()
    {
        var result = SrpServer.Start(_verifier, SrpGroup.PadHex(SrpGroup.N));
        Assert.That(result.Error!.Type, Is.EqualTo("InvalidParameterException"));
    }

    [Test]
    public void A_equal_to_zero_is_refused() =>
        Assert.That(SrpServer.Start(_verifier, "0").Error!.Type, Is.EqualTo("InvalidParameterException"));

    [Test]
    public void A_equal_to_twice_N_is_refused() =>
        Assert.That(SrpServer.Start(_verifier, SrpGroup.PadHex(SrpGroup.N * 2)).Error!.Type, Is.EqualTo("InvalidParameterException"));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("xyz")]
    [TestCase("-1")]
    [TestCase("0x1234")]
    public void SrpA_that_is_not_hex_is_refused(string? srpA) =>
        Assert.That(SrpServer.Start(_verifier, srpA).Error!.Type, Is.EqualTo("InvalidParameterException"));

    [Test]
    public void SrpA_longer_than_the_group_allows_is_refused_before_any_arithmetic() =>
        Assert.That(SrpServer.Start(_verifier, new string('1', 100_000)).Error!.Type, Is.EqualTo("InvalidParameterException"));

    [Test]
    public void B_is_never_zero_mod_N_and_differs_per_attempt()
    {
        var first = Start();
        var second = Start();
        Assert.That(SrpGroup.ParseHex(first.SrpB, 1024)!.Value % SrpGroup.N, Is.Not.EqualTo(BigInteger.Zero));
        Assert.That(first.SrpB, Is.Not.EqualTo(second.SrpB));
        Assert.That(first.SecretBlock, Is.Not.EqualTo(second.SecretBlock));
    }

    [Test]
    public void Verifier_salt_is_random_per_password_set()
    {
        var again = SrpVerifier.Create(Pool, User, Password);
        Assert.That(again.Salt, Is.Not.EqualTo(_verifier.Salt));
        Assert.That(again.Verifier, Is.Not.EqualTo(_verifier.Verifier));
    }

    [Test]
    public void Challenge_and_verifier_text_forms_hide_the_key_and_verifier()
    {
        var challenge = Start();
        Assert.That(challenge.ToString(), Does.Not.Contain(Convert.ToHexStringLower(challenge.SessionKey)));
        Assert.That(_verifier.ToString(), Does.Not.Contain(_verifier.Verifier[..16]));
    }
}
