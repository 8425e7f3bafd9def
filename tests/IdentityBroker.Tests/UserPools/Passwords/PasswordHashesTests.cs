using IdentityBroker.UserPools.Passwords;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.UserPools.Passwords;

public sealed class PasswordHashesTests
{
    private const string Password = "Correct-horse-battery-1";
    private static readonly PasswordHashes Hashes = new(Options.Create(new PasswordHashingOptions()));

    [Test]
    public void Hash_verifies_with_the_same_password_only()
    {
        var hash = Hashes.Hash(Password);
        Assert.That(Hashes.Verify(hash, Password), Is.EqualTo(PasswordCheck.Match));
        Assert.That(Hashes.Verify(hash, Password + "x"), Is.EqualTo(PasswordCheck.Mismatch));
        Assert.That(Hashes.Verify(hash, Password.ToUpperInvariant()), Is.EqualTo(PasswordCheck.Mismatch));
    }

    [Test]
    public void Hash_is_salted_and_never_contains_the_password()
    {
        var first = Hashes.Hash(Password);
        Assert.That(Hashes.Hash(Password), Is.Not.EqualTo(first));
        Assert.That(first, Does.Not.Contain(Password));
        Assert.That(Convert.FromBase64String(first)[0], Is.EqualTo(0x01), "ASP.NET Core Identity format 3 marker");
    }

    [Test]
    public void Hash_made_at_a_lower_cost_asks_for_a_rehash_at_a_higher_one()
    {
        var hash = Hashes.Hash(Password);
        var stronger = new PasswordHashes(Options.Create(new PasswordHashingOptions { IterationCount = 200_000 }));
        Assert.That(stronger.Verify(hash, Password), Is.EqualTo(PasswordCheck.MatchRehashNeeded));
        Assert.That(stronger.Verify(stronger.Hash(Password), Password), Is.EqualTo(PasswordCheck.Match));
    }

    [Test]
    public void History_finds_a_reused_password_within_the_size_only()
    {
        var history = new[] { Hashes.Hash("Newest-1!"), Hashes.Hash(Password), Hashes.Hash("Oldest-1!") };
        Assert.That(Hashes.IsInHistory(Password, history, 2), Is.True);
        Assert.That(Hashes.IsInHistory(Password, history, 1), Is.False);
        Assert.That(Hashes.IsInHistory("Never-used-1!", history, 24), Is.False);
        Assert.That(Hashes.IsInHistory(Password, history, 0), Is.False);
    }

    [TestCase("not base64 %%%")]
    [TestCase("")]
    [TestCase("AQ==")]
    public void Corrupt_stored_hash_is_a_mismatch_not_an_exception(string stored) =>
        Assert.That(Hashes.Verify(stored, Password), Is.EqualTo(PasswordCheck.Mismatch));

    [TestCase(99_999)]
    [TestCase(5_000_001)]
    [TestCase(0)]
    public void Cost_outside_the_bounds_fails_start_up(int iterations) =>
        Assert.That(new PasswordHashingOptionsValidator().Validate(null, new PasswordHashingOptions { IterationCount = iterations }).Failed, Is.True);

    [Test]
    public void Default_cost_is_valid() =>
        Assert.That(new PasswordHashingOptionsValidator().Validate(null, new PasswordHashingOptions()).Succeeded, Is.True);
}
