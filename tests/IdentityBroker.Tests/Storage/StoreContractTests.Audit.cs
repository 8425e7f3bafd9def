using IdentityBroker.Audit;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IAuditStore Audit =>
        Store.Pools as IAuditStore ?? throw new AssertionException("The store does not implement IAuditStore.");

    private static AuditRecord AuditEvent(
        DateTimeOffset at, string name = "GetCredentialsForIdentity", string? key = null, string? user = null, bool readOnly = false, params AuditResource[] resources)
    {
        var id = Guid.NewGuid().ToString("D");
        return new AuditRecord(id, at, name, "cognito-identity.amazonaws.com", readOnly, key, user, resources, $"{{\"eventID\":\"{id}\"}}");
    }

    private static AuditQuery Window(AuditAttribute? attribute = null, string? value = null, int max = 50, AuditCursor? after = null) =>
        new(T0.AddDays(-1), T0.AddDays(1), attribute, value, max, after);

    [Test]
    public async Task Audit_events_come_back_newest_first_with_every_field_and_survive_a_reopen()
    {
        var older = AuditEvent(T0, key: "ASIAOLDER", user: "root", resources: new AuditResource("AWS::Cognito::Identity", "us-east-1:id-1"));
        var newer = AuditEvent(T0.AddSeconds(5), name: "GetId", readOnly: true);
        await Audit.AppendAuditAsync([older, newer], None);
        await ReopenAsync();

        var page = await Audit.LookupAuditAsync(Window(), None);

        Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { newer.EventId, older.EventId }));
        Assert.That(page.Next, Is.Null);
        var read = page.Events[1];
        Assert.Multiple(() =>
        {
            Assert.That(read.EventTime, Is.EqualTo(older.EventTime));
            Assert.That(read.EventName, Is.EqualTo(older.EventName));
            Assert.That(read.EventSource, Is.EqualTo(older.EventSource));
            Assert.That(read.ReadOnly, Is.False);
            Assert.That(read.AccessKeyId, Is.EqualTo("ASIAOLDER"));
            Assert.That(read.Username, Is.EqualTo("root"));
            Assert.That(read.Resources, Is.EqualTo(older.Resources));
            Assert.That(read.CloudTrailEvent, Is.EqualTo(older.CloudTrailEvent));
            Assert.That(page.Events[0].ReadOnly, Is.True);
        });
    }

    [TestCase(AuditAttribute.EventName, "GetId")]
    [TestCase(AuditAttribute.AccessKeyId, "ASIAFILTER")]
    [TestCase(AuditAttribute.Username, "alice")]
    [TestCase(AuditAttribute.ResourceName, "us-east-1:wanted")]
    [TestCase(AuditAttribute.ResourceType, "AWS::IAM::Role")]
    [TestCase(AuditAttribute.ReadOnly, "true")]
    public async Task Audit_lookup_by_one_attribute_returns_only_the_matching_events(AuditAttribute attribute, string value)
    {
        var wanted = AuditEvent(T0, name: "GetId", key: "ASIAFILTER", user: "alice", readOnly: true,
            resources: [new AuditResource("AWS::Cognito::Identity", "us-east-1:wanted"), new AuditResource("AWS::IAM::Role", "arn:aws:iam::000000000000:role/R")]);
        var other = AuditEvent(T0.AddSeconds(1), key: "ASIAOTHER", user: "bob", resources: new AuditResource("AWS::Cognito::Identity", "us-east-1:other"));
        await Audit.AppendAuditAsync([wanted, other], None);

        var page = await Audit.LookupAuditAsync(Window(attribute, value), None);

        Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { wanted.EventId }));
    }

    [Test]
    public async Task Audit_lookup_by_event_id_finds_that_event_only()
    {
        var events = Enumerable.Range(0, 3).Select(i => AuditEvent(T0.AddSeconds(i))).ToList();
        await Audit.AppendAuditAsync(events, None);

        var page = await Audit.LookupAuditAsync(Window(AuditAttribute.EventId, events[1].EventId), None);

        Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { events[1].EventId }));
    }

    [Test]
    public async Task Audit_lookup_keeps_to_the_time_window()
    {
        var before = AuditEvent(T0.AddHours(-2));
        var inside = AuditEvent(T0);
        var after = AuditEvent(T0.AddHours(2));
        await Audit.AppendAuditAsync([before, inside, after], None);

        var page = await Audit.LookupAuditAsync(new AuditQuery(T0.AddHours(-1), T0.AddHours(1), null, null, 50, null), None);

        Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { inside.EventId }));
    }

    [Test]
    public async Task Audit_pages_cover_every_event_once_in_order_even_with_equal_times()
    {
        var events = Enumerable.Range(0, 7).Select(i => AuditEvent(T0.AddSeconds(i / 2))).ToList();
        await Audit.AppendAuditAsync(events, None);

        var seen = new List<string>();
        AuditCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await Audit.LookupAuditAsync(Window(max: 3, after: cursor), None);
            Assert.That(page.Events, Has.Count.LessThanOrEqualTo(3));
            seen.AddRange(page.Events.Select(e => e.EventId));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.EquivalentTo(events.Select(e => e.EventId)));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task Audit_records_kept_as_facts_come_back_with_the_same_facts_and_the_same_cloudtrail_json_beside_records_kept_as_json()
    {
        var facts = new AuditFacts(
            "eu-west-1", "123456789012", "192.0.2.7", "aws-sdk-js/3 \u00e9t\u00e9 \"quoted\"", "req-1", "arn:aws:iam::123456789012:root", "AIDAROOT",
            null, null, "{\"identityId\":\"us-east-1:abc\"}"u8.ToArray(), "us-east-1:abc", "ASIAISSUED", T0.AddHours(1), "us-east-1:pool", "us-east-1:abc",
            "{\"allowed\":true,\"logins\":[]}"u8.ToArray());
        var kept = new AuditRecord(AuditEventId.New(T0), T0, "GetCredentialsForIdentity", "cognito-identity.amazonaws.com", false, "AKIAROOT", "root",
            [new AuditResource("AWS::Cognito::Identity", "us-east-1:abc")], facts);
        var json = AuditEvent(T0.AddSeconds(1));
        await Audit.AppendAuditAsync([kept, json], None);
        await ReopenAsync();

        var page = await Audit.LookupAuditAsync(Window(), None);

        Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { json.EventId, kept.EventId }));
        var read = page.Events[1];
        Assert.Multiple(() =>
        {
            Assert.That(read.Facts, Is.Not.Null, "a record kept as facts is read as facts");
            Assert.That(read.Facts! with { RequestParameters = null, Decision = null }, Is.EqualTo(facts with { RequestParameters = null, Decision = null }));
            Assert.That(read.Facts!.RequestParameters, Is.EqualTo(facts.RequestParameters));
            Assert.That(read.Facts!.Decision, Is.EqualTo(facts.Decision));
            Assert.That(read.CloudTrailEvent, Is.EqualTo(kept.CloudTrailEvent));
            Assert.That(read.Resources, Is.EqualTo(kept.Resources));
            Assert.That(page.Events[0].Facts, Is.Null);
            Assert.That(page.Events[0].CloudTrailEvent, Is.EqualTo(json.CloudTrailEvent));
        });
    }

    [Test]
    public async Task Audit_prune_removes_the_events_older_than_the_cut_and_keeps_the_rest()
    {
        var old = AuditEvent(T0.AddDays(-40));
        var recent = AuditEvent(T0.AddDays(-1).AddMinutes(1));
        await Audit.AppendAuditAsync([old, recent], None);

        await Audit.PruneAuditAsync(T0.AddDays(-30), None);

        var page = await Audit.LookupAuditAsync(new AuditQuery(T0.AddDays(-365), T0, null, null, 50, null), None);
        Assert.That(page.Events.Select(e => e.EventId), Is.EqualTo(new[] { recent.EventId }));
    }
}
