using IdentityBroker.Audit;
using IdentityBroker.Observability;
using IdentityBroker.Server.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Audit;

/// <summary>
/// The writer lingers before a batch of records nobody waits for (Broker:Audit:FlushMilliseconds), and only then: a
/// credential issuance, whose reply waits for its record, ends the linger at once, queued before or during it.
/// </summary>
[TestFixture]
public sealed class AuditTrailLingerTests
{
    private AuditTrail _trail = null!;

    [SetUp]
    public void SetUp() => _trail = new AuditTrail(
        Options.Create(new AuditOptions()), Options.Create(new BrokerOptions()), TimeProvider.System, NullLogger<AuditTrail>.Instance);

    [Test]
    public void A_lingering_writer_is_woken_by_an_issuance_and_not_by_a_record_nobody_waits_for()
    {
        var linger = _trail.WaitForIssuanceAsync();
        _trail.OnCallCompleted(Call("cognito-idp", "GetUser"));
        Assert.That(linger.IsCompleted, Is.False);

        var issuance = Call("cognito-identity", "GetCredentialsForIdentity");
        _trail.OnCallCompleted(issuance);

        Assert.That(linger.IsCompleted, Is.True);
        Assert.That(issuance.Details!.ReplyHold, Is.Not.Null.And.Property(nameof(Task.IsCompleted)).False);
    }

    [Test]
    public void An_issuance_already_queued_ends_the_linger_before_it_starts_until_the_writer_takes_it()
    {
        _trail.OnCallCompleted(Call("cognito-identity", "GetCredentialsForIdentity"));
        Assert.That(_trail.WaitForIssuanceAsync().IsCompleted, Is.True);

        var batch = new List<PendingAudit>();
        while (_trail.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        _trail.Taken(batch);
        Assert.That(_trail.WaitForIssuanceAsync().IsCompleted, Is.False);
    }

    [Test]
    public void A_failed_issuance_holds_nothing_and_does_not_count_as_waiting()
    {
        var refused = Call("cognito-identity", "GetCredentialsForIdentity", error: "NotAuthorizedException");
        _trail.OnCallCompleted(refused);

        Assert.That(refused.Details!.ReplyHold, Is.Null);
        Assert.That(_trail.WaitForIssuanceAsync().IsCompleted, Is.False);
    }

    [Test]
    public async Task The_writer_holds_a_record_nobody_waits_for_until_the_flush_time_and_writes_an_issuance_at_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new AuditOptions { FlushMilliseconds = 20 });
        var trail = new AuditTrail(options, Options.Create(new BrokerOptions()), time, NullLogger<AuditTrail>.Instance);
        var store = new CountingStore();
        using var file = new AuditFileSink(options, NullLogger<AuditFileSink>.Instance);
        using var writer = new AuditWriter(trail, store, file, options, time, NullLogger<AuditWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        trail.OnCallCompleted(Call("cognito-idp", "GetUser"));
        await Task.Delay(200);
        Assert.That(store.Written, Is.Zero, "a record nobody waits for lingers");

        var issuance = Call("cognito-identity", "GetCredentialsForIdentity");
        trail.OnCallCompleted(issuance);
        await issuance.Details!.ReplyHold!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(store.Written, Is.EqualTo(2), "the issuance ends the linger without the clock moving; the waiting record shares its batch");

        trail.OnCallCompleted(Call("cognito-idp", "GetUser"));
        await Task.Delay(500);
        Assert.That(store.Written, Is.EqualTo(2));
        time.Advance(TimeSpan.FromMilliseconds(20));
        await WaitUntilAsync(() => store.Written == 3);

        await writer.StopAsync(CancellationToken.None);
    }

    [TestCase(-1)]
    [TestCase(1001)]
    public void A_flush_time_outside_zero_to_one_second_stops_the_start_with_the_key_to_fix(int milliseconds)
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { FlushMilliseconds = milliseconds });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Broker:Audit:FlushMilliseconds"));
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            await Task.Delay(25);
        }

        Assert.That(done(), Is.True, "the lingering record was written once the flush time passed");
    }

    private sealed class CountingStore : IAuditStore
    {
        private int _written;

        public int Written => Volatile.Read(ref _written);

        public Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _written, records.Count);
            return Task.CompletedTask;
        }

        public Task<AuditPage> LookupAuditAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<long> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0L);
    }

    private static CallCompleted Call(string service, string operation, string? error = null) =>
        new(service, operation, null, error is null ? 200 : 400, error, TimeSpan.FromMilliseconds(1), Guid.NewGuid().ToString("D"), "192.0.2.1")
        {
            Details = new CallDetails("test", null, new CallAuditCapture(), null, null, null),
        };
}
