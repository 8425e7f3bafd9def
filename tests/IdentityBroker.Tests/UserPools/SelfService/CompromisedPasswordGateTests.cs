using IdentityBroker.Observability;
using IdentityBroker.UserPools.CompromisedPasswords;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Risk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.SelfService;

/// <summary>Which events a risk configuration blocks, and the throttled warning of a source outage.</summary>
[TestFixture]
public sealed class CompromisedPasswordGateTests
{
    private const string Breached = "breached-password";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private sealed class ListSource(CompromisedVerdict listed) : IPwnedPasswordsSource
    {
        public ValueTask<CompromisedVerdict> LookupAsync(string sha1Hex, CancellationToken cancellationToken) => ValueTask.FromResult(listed);
    }

    private static UserPool Pool(RiskConfigurations? risk) => new("us-east-1_Gate", "gate", "arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_Gate",
        new UserPoolSettings(PasswordPolicy.Default, "INACTIVE", "OFF", null, null), null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)
    {
        Risk = risk,
    };

    private CompromisedPasswordGate Gate(CompromisedVerdict verdict, WhenSourceUnavailable whenUnavailable = WhenSourceUnavailable.Allow,
        ILoggerFactory? loggers = null) =>
        new(new CompromisedPasswordCheck([new ListSource(verdict)], whenUnavailable, loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _time));

    private static RiskConfigurations Blocking(params string[]? events) =>
        RiskConfigurations.Empty.With(null, new CompromisedCredentialsRisk(events, CompromisedCredentialsRisk.Block));

    [Test]
    public async Task BLOCK_without_an_event_filter_blocks_every_event()
    {
        var gate = Gate(CompromisedVerdict.Compromised);
        foreach (var riskEvent in RiskEvents.All)
        {
            Assert.That(await gate.CheckAsync(Pool(Blocking(null)), "client", Breached, riskEvent, default), Is.EqualTo(CompromisedPasswordGate.Compromised), riskEvent);
        }
    }

    [Test]
    public async Task An_event_outside_the_filter_NO_ACTION_and_no_configuration_let_the_password_through()
    {
        var gate = Gate(CompromisedVerdict.Compromised);
        var noAction = RiskConfigurations.Empty.With(null, new CompromisedCredentialsRisk(null, CompromisedCredentialsRisk.NoAction));

        Assert.Multiple(async () =>
        {
            Assert.That(await gate.CheckAsync(Pool(Blocking(RiskEvents.SignUp)), "client", Breached, RiskEvents.SignIn, default), Is.Null);
            Assert.That(await gate.CheckAsync(Pool(noAction), "client", Breached, RiskEvents.SignUp, default), Is.Null);
            Assert.That(await gate.CheckAsync(Pool(null), "client", Breached, RiskEvents.SignUp, default), Is.Null);
        });
    }

    [Test]
    public async Task A_clients_own_configuration_replaces_the_pools()
    {
        var gate = Gate(CompromisedVerdict.Compromised);
        var risk = Blocking(null).With("lenient", new CompromisedCredentialsRisk(null, CompromisedCredentialsRisk.NoAction));

        Assert.That(await gate.CheckAsync(Pool(risk), "lenient", Breached, RiskEvents.SignUp, default), Is.Null);
        Assert.That(await gate.CheckAsync(Pool(risk), "other", Breached, RiskEvents.SignUp, default), Is.Not.Null);
    }

    [Test]
    public async Task A_source_outage_fails_open_by_default_and_closed_when_configured()
    {
        Assert.That(await Gate(CompromisedVerdict.Unavailable).CheckAsync(Pool(Blocking(null)), null, Breached, RiskEvents.SignUp, default), Is.Null);
        Assert.That(await Gate(CompromisedVerdict.Unavailable, WhenSourceUnavailable.Block)
            .CheckAsync(Pool(Blocking(null)), null, Breached, RiskEvents.SignUp, default), Is.Not.Null);
    }

    [Test]
    public async Task An_outage_logs_one_warning_per_interval_with_the_count_left_out_and_never_the_password()
    {
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)));
        var gate = Gate(CompromisedVerdict.Unavailable, loggers: loggers);

        for (var i = 0; i < 5; i++)
        {
            await gate.CheckAsync(Pool(Blocking(null)), null, Breached, RiskEvents.SignUp, default);
        }

        _time.Advance(LogThrottle.Interval);
        await gate.CheckAsync(Pool(Blocking(null)), null, Breached, RiskEvents.SignUp, default);

        var warnings = collector.GetSnapshot().Where(r => r.Id.Id == LogEvents.CompromisedSourceUnavailable).ToList();
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[1].Message, Does.Contain("4 more"));
        Assert.That(warnings.Select(w => w.Message), Has.All.Not.Contain(Breached));
    }
}
