using System.Text;
using IdentityBroker.Audit;

namespace IdentityBroker.Tests.Audit;

/// <summary>
/// Event ids are version-7 GUIDs of the event time: they sort with time, name their millisecond (so LookupEvents by EventId
/// reads only that millisecond); any other id is searched for in the whole window (ids written before version-7 ids).
/// </summary>
[TestFixture]
public sealed class AuditEventIdTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 30, 15, 123, TimeSpan.Zero);

    [Test]
    public void An_event_id_is_a_version_7_guid_naming_the_millisecond_of_its_event()
    {
        var id = AuditEventId.New(At.AddTicks(4567));

        Assert.That(Guid.Parse(id).Version, Is.EqualTo(7));
        Assert.That(AuditEventId.Millisecond(id), Is.EqualTo(At));
    }

    [Test]
    public void Ids_of_later_events_sort_after_earlier_ones()
    {
        var ids = Enumerable.Range(0, 50).Select(i => AuditEventId.New(At.AddMilliseconds(i))).ToList();

        Assert.That(ids, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [TestCase("not-a-guid")]
    [TestCase("3f2504e0-4f89-41d3-9a0c-0305e82c3301")]
    [TestCase("")]
    [TestCase(null)]
    public void Any_other_string_names_no_millisecond(string? value) => Assert.That(AuditEventId.Millisecond(value), Is.Null);

    [Test]
    public void Lookup_by_a_version_7_event_id_searches_only_its_millisecond_and_other_ids_the_whole_window()
    {
        var id = AuditEventId.New(At);
        var now = At.AddHours(1);

        var narrowed = LookupEventsRequest.Read(Body("EventId", id), now, 30).Value;
        var unknown = LookupEventsRequest.Read(Body("EventId", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"), now, 30).Value;

        Assert.Multiple(() =>
        {
            Assert.That(narrowed.Start, Is.EqualTo(At));
            Assert.That(narrowed.End, Is.EqualTo(At.AddTicks(TimeSpan.TicksPerMillisecond - 1)));
            Assert.That(unknown.Start, Is.EqualTo(now.AddDays(-30)));
            Assert.That(unknown.End, Is.EqualTo(now));
        });
    }

    private static byte[] Body(string key, string value) =>
        Encoding.UTF8.GetBytes($$"""{"LookupAttributes":[{"AttributeKey":"{{key}}","AttributeValue":"{{value}}"}]}""");
}
