using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public sealed class PageCursorTests
{
    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(long.MaxValue)]
    public void A_cursor_decodes_to_its_position(long position)
    {
        var token = PageCursor.Encode(PageCursorKind.Pools, position);

        Assert.That(PageCursor.Decode(PageCursorKind.Pools, token), Is.EqualTo(position));
        Assert.That(token, Does.Match("^[A-Za-z0-9_-]+$"), "fits the PaginationKey pattern [\\S]+ and needs no escaping");
    }

    [Test]
    public void No_token_starts_at_the_beginning() =>
        Assert.That(PageCursor.Decode(PageCursorKind.Identities, null), Is.Zero);

    [Test]
    public void A_token_of_another_listing_is_refused()
    {
        var token = PageCursor.Encode(PageCursorKind.Pools, 5);

        Assert.Throws<InvalidNextTokenException>(() => PageCursor.Decode(PageCursorKind.Identities, token));
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        var valid = PageCursor.Encode(PageCursorKind.Pools, 42);
        yield return new TestCaseData("").SetName("empty");
        yield return new TestCaseData("AAAA").SetName("decodes to too few bytes");
        yield return new TestCaseData(valid[..^2]).SetName("truncated");
        yield return new TestCaseData(valid + "AAAA").SetName("extended");
        yield return new TestCaseData("AgEAAAAAAAAAKg").SetName("unknown version");
        yield return new TestCaseData("AQH__________w").SetName("negative position");
        yield return new TestCaseData("AQkAAAAAAAAAKg").SetName("unknown kind");
        yield return new TestCaseData(new string('A', 70_000)).SetName("huge");
        yield return new TestCaseData("a b c d e f g h").SetName("spaces");
    }

    [TestCaseSource(nameof(Malformed))]
    public void A_malformed_token_is_refused_with_InvalidNextTokenException(string token) =>
        Assert.Throws<InvalidNextTokenException>(() => PageCursor.Decode(PageCursorKind.Pools, token));

    [Test]
    public void The_encoding_is_fixed_so_tokens_survive_a_broker_upgrade() =>
        Assert.That(PageCursor.Encode(PageCursorKind.Pools, 42), Is.EqualTo("AQEAAAAAAAAAKg"));
}
