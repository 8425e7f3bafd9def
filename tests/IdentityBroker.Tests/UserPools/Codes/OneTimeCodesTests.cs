using IdentityBroker.UserPools.Codes;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Codes;

[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class OneTimeCodesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryCodeStore _store = new();
    private readonly FakeTimeProvider _time = new(T0);

    private OneTimeCodes Codes => new(_store, _time);

    private static CodeSubject Subject(CodePurpose purpose = CodePurpose.SignUpConfirmation) => new("us-east-1_abc123XYZ", "sub-1", purpose);

    [Test]
    public async Task A_code_is_six_digits_and_codes_vary()
    {
        var issued = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var code = await Codes.IssueAsync(Subject(), CancellationToken.None);
            Assert.That(code, Does.Match("^[0-9]{6}$"));
            issued.Add(code);
        }

        Assert.That(issued, Has.Count.GreaterThan(40), "50 draws from a million values hardly repeat");
    }

    [TestCase(CodePurpose.SignUpConfirmation, 24 * 60)]
    [TestCase(CodePurpose.AttributeVerification, 24 * 60)]
    [TestCase(CodePurpose.PasswordReset, 60)]
    [TestCase(CodePurpose.MfaSignIn, 15)]
    public async Task A_code_is_valid_for_its_purposes_lifetime_and_not_a_moment_longer(CodePurpose purpose, int minutes)
    {
        var code = await Codes.IssueAsync(Subject(purpose), CancellationToken.None);
        Assert.That(_store.Stored.Single().ExpiresAt, Is.EqualTo(T0.AddMinutes(minutes)));

        _time.Advance(TimeSpan.FromMinutes(minutes));

        Assert.That(await Codes.CheckAsync(Subject(purpose), code, CancellationToken.None), Is.EqualTo(CodeCheck.Expired));
    }

    [Test]
    public async Task The_code_is_stored_only_as_a_salted_hash()
    {
        var code = await Codes.IssueAsync(Subject(), CancellationToken.None);
        var stored = _store.Stored.Single();

        Assert.That(stored.Hash, Is.Not.EqualTo(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code))));
        Assert.That(Convert.ToHexString(stored.Hash) + Convert.ToHexString(stored.Salt) + stored.CodeId + stored.Key, Does.Not.Contain(code));
    }

    [TestCase("")]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase(" 123456")]
    public async Task Near_misses_and_odd_input_are_mismatches(string guess)
    {
        await _store.PutCodeAsync("us-east-1_abc123XYZ", await IssueKnownAsync("123456"), T0, CancellationToken.None);

        Assert.That(await Codes.CheckAsync(Subject(), guess, CancellationToken.None), Is.EqualTo(CodeCheck.Mismatch));
        Assert.That(await Codes.CheckAsync(Subject(), new string('1', 10_000), CancellationToken.None), Is.EqualTo(CodeCheck.Mismatch));
        Assert.That(await Codes.CheckAsync(Subject(), "123456", CancellationToken.None), Is.EqualTo(CodeCheck.Accepted));
    }

    [Test]
    public async Task Checking_a_subject_with_no_code_answers_expired()
    {
        Assert.That(await Codes.CheckAsync(Subject(), "123456", CancellationToken.None), Is.EqualTo(CodeCheck.Expired));
    }

    [Test]
    public void Subjects_that_differ_in_any_part_have_different_keys()
    {
        var keys = new[]
        {
            new CodeSubject("p", "ab", CodePurpose.SignUpConfirmation).Key,
            new CodeSubject("p", "a", CodePurpose.SignUpConfirmation, "b").Key,
            new CodeSubject("p", "ab", CodePurpose.AttributeVerification).Key,
            new CodeSubject("p", "ab", CodePurpose.AttributeVerification, "email").Key,
            new CodeSubject("p", "ab", CodePurpose.AttributeVerification, "phone_number").Key,
        };

        Assert.That(keys, Is.Unique);
    }

    [TestCase(CodeCheck.Mismatch, CodePurpose.SignUpConfirmation, "CodeMismatchException", "Invalid verification code provided, please try again.")]
    [TestCase(CodeCheck.Mismatch, CodePurpose.MfaSignIn, "CodeMismatchException", "Invalid code or auth state for the user.")]
    [TestCase(CodeCheck.Expired, CodePurpose.PasswordReset, "ExpiredCodeException", "Invalid code provided, please request a code again.")]
    [TestCase(CodeCheck.AttemptsExhausted, CodePurpose.PasswordReset, "LimitExceededException", "Attempt limit exceeded, please try after some time.")]
    [TestCase(CodeCheck.AttemptsExhausted, CodePurpose.AttributeVerification, "LimitExceededException", "Attempt limit exceeded, please try after some time.")]
    [TestCase(CodeCheck.AttemptsExhausted, CodePurpose.SignUpConfirmation, "TooManyFailedAttemptsException", "Too many failed attempts with this code, request a new code.")]
    public void Each_failed_check_answers_cognitos_error(CodeCheck check, CodePurpose purpose, string type, string message)
    {
        var error = CodeErrors.For(check, purpose)!;

        Assert.That((error.Type, error.Message, error.StatusCode), Is.EqualTo((type, message, 400)));
        Assert.That(CodeErrors.For(CodeCheck.Accepted, purpose), Is.Null);
    }

    /// <summary>A stored code for a known value, made the way <see cref="OneTimeCodes"/> makes one (issue, then swap in the known code's hash).</summary>
    private async Task<StoredCode> IssueKnownAsync(string code)
    {
        await Codes.IssueAsync(Subject(), CancellationToken.None);
        var stored = _store.Stored.Single();
        var bytes = stored.Salt.Concat(System.Text.Encoding.UTF8.GetBytes(code)).ToArray();
        return stored with { Hash = System.Security.Cryptography.SHA256.HashData(bytes) };
    }
}
