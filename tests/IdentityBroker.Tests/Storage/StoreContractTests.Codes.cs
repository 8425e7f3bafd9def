using IdentityBroker.UserPools.Codes;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Storage;

/// <summary>One-time codes through each store: <see cref="OneTimeCodes"/> over the store's atomic attempt and consume steps.</summary>
public abstract partial class StoreContractTests
{
    private IOneTimeCodeStore Codes => Store.Codes ?? throw new AssertionException("The store does not implement IOneTimeCodeStore.");

    private static CodeSubject Subject(string userPoolId, CodePurpose purpose = CodePurpose.SignUpConfirmation, string sub = "sub-1") =>
        new(userPoolId, sub, purpose);

    private static string Wrong(string code) => code == "000000" ? "000001" : "000000";

    [Test]
    public async Task An_issued_code_is_accepted_once_and_survives_a_reopen()
    {
        var time = new FakeTimeProvider(T0);
        var pool = await CreateUserPoolAsync();
        var subject = Subject(pool.Id);
        var code = await new OneTimeCodes(Codes, time).IssueAsync(subject, None);

        await ReopenAsync();
        var codes = new OneTimeCodes(Codes, time);

        Assert.That(await codes.CheckAsync(subject, code, None), Is.EqualTo(CodeCheck.Accepted));
        Assert.That(await codes.CheckAsync(subject, code, None), Is.EqualTo(CodeCheck.Expired), "a code is used once");
    }

    [Test]
    public async Task A_code_belongs_to_its_subject_only()
    {
        var codes = new OneTimeCodes(Codes, new FakeTimeProvider(T0));
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        var code = await codes.IssueAsync(Subject(pool.Id), None);

        Assert.That(await codes.CheckAsync(Subject(other.Id), code, None), Is.EqualTo(CodeCheck.Expired), "another pool");
        Assert.That(await codes.CheckAsync(Subject(pool.Id, sub: "sub-2"), code, None), Is.EqualTo(CodeCheck.Expired), "another user");
        Assert.That(await codes.CheckAsync(Subject(pool.Id, CodePurpose.PasswordReset), code, None), Is.EqualTo(CodeCheck.Expired), "another purpose");
        Assert.That(await codes.CheckAsync(Subject(pool.Id) with { Attribute = "email" }, code, None), Is.EqualTo(CodeCheck.Expired), "another attribute");
        Assert.That(await codes.CheckAsync(Subject(pool.Id), code, None), Is.EqualTo(CodeCheck.Accepted));
    }

    [Test]
    public async Task A_new_code_replaces_the_previous_one()
    {
        var codes = new OneTimeCodes(Codes, new FakeTimeProvider(T0));
        var pool = await CreateUserPoolAsync();
        var first = await codes.IssueAsync(Subject(pool.Id), None);
        string second;
        do
        {
            second = await codes.IssueAsync(Subject(pool.Id), None);
        }
        while (second == first);

        Assert.That(await codes.CheckAsync(Subject(pool.Id), first, None), Is.EqualTo(CodeCheck.Mismatch));
        Assert.That(await codes.CheckAsync(Subject(pool.Id), second, None), Is.EqualTo(CodeCheck.Accepted));
    }

    [Test]
    public async Task A_code_expires_at_the_end_of_its_purposes_lifetime()
    {
        var time = new FakeTimeProvider(T0);
        var codes = new OneTimeCodes(Codes, time);
        var pool = await CreateUserPoolAsync();
        var reset = await codes.IssueAsync(Subject(pool.Id, CodePurpose.PasswordReset), None);
        var confirm = await codes.IssueAsync(Subject(pool.Id), None);

        time.Advance(TimeSpan.FromHours(1));

        Assert.That(await codes.CheckAsync(Subject(pool.Id, CodePurpose.PasswordReset), reset, None), Is.EqualTo(CodeCheck.Expired), "reset: 1 hour");
        time.Advance(TimeSpan.FromHours(23) - TimeSpan.FromSeconds(1));
        Assert.That(await codes.CheckAsync(Subject(pool.Id), confirm, None), Is.EqualTo(CodeCheck.Accepted), "confirmation: 24 hours");
    }

    [Test]
    public async Task Five_wrong_codes_void_the_code_even_for_the_right_one()
    {
        var codes = new OneTimeCodes(Codes, new FakeTimeProvider(T0));
        var pool = await CreateUserPoolAsync();
        var code = await codes.IssueAsync(Subject(pool.Id), None);

        for (var i = 0; i < OneTimeCodes.MaxAttempts; i++)
        {
            Assert.That(await codes.CheckAsync(Subject(pool.Id), Wrong(code), None), Is.EqualTo(CodeCheck.Mismatch), $"wrong guess {i + 1}");
        }

        Assert.That(await codes.CheckAsync(Subject(pool.Id), code, None), Is.EqualTo(CodeCheck.AttemptsExhausted));
        var fresh = await codes.IssueAsync(Subject(pool.Id), None);
        Assert.That(await codes.CheckAsync(Subject(pool.Id), fresh, None), Is.EqualTo(CodeCheck.Accepted), "a new code has its own attempts");
    }

    [Test]
    public async Task Concurrent_wrong_guesses_never_get_more_comparisons_than_the_attempt_limit()
    {
        var codes = new OneTimeCodes(Codes, new FakeTimeProvider(T0));
        var pool = await CreateUserPoolAsync();
        var code = await codes.IssueAsync(Subject(pool.Id), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => codes.CheckAsync(Subject(pool.Id), Wrong(code), None))));

        Assert.That(results.Count(r => r == CodeCheck.Mismatch), Is.EqualTo(OneTimeCodes.MaxAttempts));
        Assert.That(results.Count(r => r == CodeCheck.AttemptsExhausted), Is.EqualTo(40 - OneTimeCodes.MaxAttempts));
        Assert.That(await codes.CheckAsync(Subject(pool.Id), code, None), Is.EqualTo(CodeCheck.AttemptsExhausted));
    }

    [Test]
    public async Task Concurrent_uses_of_the_right_code_accept_it_once()
    {
        var codes = new OneTimeCodes(Codes, new FakeTimeProvider(T0));
        var pool = await CreateUserPoolAsync();
        var code = await codes.IssueAsync(Subject(pool.Id), None);

        var results = await Task.WhenAll(Enumerable.Range(0, OneTimeCodes.MaxAttempts).Select(_ => Task.Run(() => codes.CheckAsync(Subject(pool.Id), code, None))));

        Assert.That(results.Count(r => r == CodeCheck.Accepted), Is.EqualTo(1));
        Assert.That(results.Where(r => r != CodeCheck.Accepted), Is.All.EqualTo(CodeCheck.Expired));
    }

    [Test]
    public async Task The_store_keeps_a_hash_not_the_code()
    {
        var time = new FakeTimeProvider(T0);
        var pool = await CreateUserPoolAsync();
        var subject = Subject(pool.Id);
        var code = await new OneTimeCodes(Codes, time).IssueAsync(subject, None);

        var attempt = await Codes.TakeCodeAttemptAsync(pool.Id, subject.Key, time.GetUtcNow(), None);

        Assert.That(attempt.Status, Is.EqualTo(CodeAttemptStatus.Taken));
        Assert.That(attempt.Code!.Hash, Has.Length.EqualTo(32));
        Assert.That(attempt.Code.Salt, Has.Length.EqualTo(16));
        Assert.That(attempt.Code.Hash, Is.Not.EqualTo(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code))), "salted");
        Assert.That(attempt.Code.AttemptsLeft, Is.EqualTo(OneTimeCodes.MaxAttempts), "the attempt returns the code as it was before it");
    }

    [Test]
    public async Task Deleting_a_user_pool_deletes_its_codes()
    {
        var codes = new OneTimeCodes(Codes, new FakeTimeProvider(T0));
        var pool = await CreateUserPoolAsync();
        var code = await codes.IssueAsync(Subject(pool.Id), None);

        await UserPools.DeleteUserPoolAsync(pool.Id, None);

        Assert.That(await codes.CheckAsync(Subject(pool.Id), code, None), Is.EqualTo(CodeCheck.Expired));
    }

    [Test]
    public async Task A_deleted_code_is_gone_and_a_consume_needs_the_same_code()
    {
        var time = new FakeTimeProvider(T0);
        var codes = new OneTimeCodes(Codes, time);
        var pool = await CreateUserPoolAsync();
        var subject = Subject(pool.Id);
        await codes.IssueAsync(subject, None);
        var taken = await Codes.TakeCodeAttemptAsync(pool.Id, subject.Key, time.GetUtcNow(), None);

        Assert.That(await Codes.ConsumeCodeAsync(pool.Id, subject.Key, "not-" + taken.Code!.CodeId, None), Is.False);
        await Codes.DeleteCodeAsync(pool.Id, subject.Key, None);
        Assert.That(await Codes.ConsumeCodeAsync(pool.Id, subject.Key, taken.Code.CodeId, None), Is.False);
        Assert.That((await Codes.TakeCodeAttemptAsync(pool.Id, subject.Key, time.GetUtcNow(), None)).Status, Is.EqualTo(CodeAttemptStatus.Missing));
    }
}
