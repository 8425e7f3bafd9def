using System.Text;
using IdentityBroker.Audit;
using IdentityBroker.Server.Audit;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Audit;

/// <summary>Broker:Audit:RetentionDays: validated at start-up, applied by the writer's prune and by LookupEvents' window.</summary>
[TestFixture]
public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(3651)]
    public void A_retention_outside_one_day_to_ten_years_stops_the_start_with_the_key_to_fix(int days)
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { RetentionDays = days });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Broker:Audit:RetentionDays"));
    }

    [Test]
    public void The_defaults_are_valid_and_keep_thirty_days() =>
        Assert.Multiple(() =>
        {
            Assert.That(new AuditOptionsValidator().Validate(null, new AuditOptions()).Succeeded, Is.True);
            Assert.That(new AuditOptions().RetentionDays, Is.EqualTo(30));
        });

    [Test]
    public void A_file_in_a_missing_directory_is_refused_at_start_up()
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { File = "/nonexistent-dir-audit/trail.jsonl" });

        Assert.That(result.FailureMessage, Does.Contain("Broker:Audit:File"));
    }

    [Test]
    public void Lookup_never_reaches_past_the_retention_window()
    {
        var sixtyDaysAgo = Now.AddDays(-60).ToUnixTimeSeconds();
        var asked = LookupEventsRequest.Read(Encoding.UTF8.GetBytes($"{{\"StartTime\":{sixtyDaysAgo}}}"), Now, 30).Value;
        var unbounded = LookupEventsRequest.Read(Encoding.UTF8.GetBytes("{}"), Now, 30).Value;

        Assert.That(asked.Start, Is.EqualTo(Now.AddDays(-30)));
        Assert.That(unbounded.Start, Is.EqualTo(Now.AddDays(-30)));
        Assert.That(unbounded.End, Is.EqualTo(Now));
    }

    [Test]
    public async Task The_writers_prune_removes_what_the_clock_has_aged_past_retention()
    {
        var directory = Directory.CreateTempSubdirectory("ib-audit-retention-").FullName;
        try
        {
            using var store = new SqliteBrokerStore(Path.Combine(directory, "broker.db"));
            var time = new FakeTimeProvider(Now);
            var options = Options.Create(new AuditOptions { RetentionDays = 30 });
            var writer = new AuditWriter(
                new AuditTrail(options, Options.Create(new BrokerOptions()), time, NullLogger<AuditTrail>.Instance),
                store, new AuditFileSink(options, NullLogger<AuditFileSink>.Instance), options, time, NullLogger<AuditWriter>.Instance);
            var first = Record(Now.AddDays(-10));
            var second = Record(Now.AddDays(-1));
            await store.AppendAuditAsync([first, second], CancellationToken.None);

            await writer.PruneAsync(CancellationToken.None);
            Assert.That(await AllAsync(store), Has.Count.EqualTo(2), "both are within 30 days");

            time.Advance(TimeSpan.FromDays(25));
            await writer.PruneAsync(CancellationToken.None);
            Assert.That(await AllAsync(store), Is.EqualTo(new[] { second.EventId }), "the first is now 35 days old");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static AuditRecord Record(DateTimeOffset at) =>
        new(Guid.NewGuid().ToString("D"), at, "GetId", "cognito-identity.amazonaws.com", false, null, null, [], "{}");

    private static async Task<List<string>> AllAsync(SqliteBrokerStore store)
    {
        var page = await store.LookupAuditAsync(new AuditQuery(Now.AddYears(-1), Now.AddYears(1), null, null, 50, null), CancellationToken.None);
        return [.. page.Events.Select(e => e.EventId)];
    }
}
