using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.Tests.UserPools.Srp;

public sealed class CognitoTimestampTests
{
    private static readonly DateTimeOffset Now = new(2023, 9, 5, 7, 4, 9, TimeSpan.Zero);

    [Test]
    public void Format_is_the_library_one_with_an_unpadded_day()
    {
        Assert.That(CognitoTimestamp.ToText(Now), Is.EqualTo("Tue Sep 5 07:04:09 UTC 2023"));
        Assert.That(CognitoTimestamp.ToText(new DateTimeOffset(2026, 12, 17, 23, 0, 0, TimeSpan.Zero)), Is.EqualTo("Thu Dec 17 23:00:00 UTC 2026"));
    }

    [Test]
    public void Format_converts_to_UTC() =>
        Assert.That(CognitoTimestamp.ToText(new DateTimeOffset(2023, 9, 5, 9, 4, 9, TimeSpan.FromHours(2))), Is.EqualTo("Tue Sep 5 07:04:09 UTC 2023"));

    [Test]
    public void Library_timestamp_parses_to_its_instant()
    {
        Assert.That(CognitoTimestamp.TryParse("Tue Sep 5 07:04:09 UTC 2023", out var instant), Is.True);
        Assert.That(instant, Is.EqualTo(Now));
    }

    [TestCase("Tue Sep 05 07:04:09 UTC 2023", TestName = "Day with a leading zero (Cognito refuses it)")]
    [TestCase("Wed Sep 5 07:04:09 UTC 2023", TestName = "Weekday that does not fit the date")]
    [TestCase("Tue Sep 5 7:04:09 UTC 2023", TestName = "Hour without its leading zero")]
    [TestCase("tue sep 5 07:04:09 utc 2023", TestName = "Lower case")]
    [TestCase("Tue Sep 5 07:04:09 GMT 2023", TestName = "GMT instead of UTC")]
    [TestCase("Tue, 05 Sep 2023 07:04:09 GMT", TestName = "RFC 1123 form")]
    [TestCase("2023-09-05T07:04:09Z", TestName = "ISO 8601 form")]
    [TestCase(" Tue Sep 5 07:04:09 UTC 2023", TestName = "Leading space")]
    [TestCase("", TestName = "Empty")]
    public void Other_forms_are_refused(string text) =>
        Assert.That(CognitoTimestamp.TryParse(text, out _), Is.False);

    [Test]
    public void Current_means_within_the_skew_on_either_side()
    {
        var skew = CognitoTimestamp.AcceptedSkew;
        Assert.That(CognitoTimestamp.IsCurrent(CognitoTimestamp.ToText(Now - skew), Now), Is.True);
        Assert.That(CognitoTimestamp.IsCurrent(CognitoTimestamp.ToText(Now + skew), Now), Is.True);
        Assert.That(CognitoTimestamp.IsCurrent(CognitoTimestamp.ToText(Now - skew - TimeSpan.FromSeconds(1)), Now), Is.False);
        Assert.That(CognitoTimestamp.IsCurrent(CognitoTimestamp.ToText(Now + skew + TimeSpan.FromSeconds(1)), Now), Is.False);
    }

    [Test]
    public void Accepted_skew_is_five_minutes() =>
        Assert.That(CognitoTimestamp.AcceptedSkew, Is.EqualTo(TimeSpan.FromMinutes(5)));
}
