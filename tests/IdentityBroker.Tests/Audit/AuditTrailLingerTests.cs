using IdentityBroker.Audit;
using IdentityBroker.Observability;
using IdentityBroker.Server.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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

    private static CallCompleted Call(string service, string operation, string? error = null) =>
        new(service, operation, null, error is null ? 200 : 400, error, TimeSpan.FromMilliseconds(1), Guid.NewGuid().ToString("D"), "192.0.2.1")
        {
            Details = new CallDetails("test", null, new CallAuditCapture(), null, null, null),
        };
}
