using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Observability;
using IdentityBroker.Server.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Observability;

/// <summary>
/// What the metrics' labels may say: bounded words of the broker's own, or configured names under a cap; never what a
/// request carries (docs/metrics.md).
/// </summary>
[TestFixture]
public sealed class MetricsLabelTests
{
    private ServiceProvider _services = null!;
    private MeterListener _listener = null!;
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measured = new();

    [SetUp]
    public void StartListening()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = Meters;
        _measured.Clear();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measured.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        _listener.Start();
    }

    [TearDown]
    public void StopListening()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    [Test]
    public void A_label_cap_passes_the_first_distinct_values_and_reports_later_ones_as_other()
    {
        var cap = new LabelValueCap(2);

        Assert.Multiple(() =>
        {
            Assert.That(cap.Of("a"), Is.EqualTo("a"));
            Assert.That(cap.Of("b"), Is.EqualTo("b"));
            Assert.That(cap.Of("c"), Is.EqualTo(LabelValueCap.Other));
            Assert.That(cap.Of("a"), Is.EqualTo("a"), "a value seen before the cap keeps its own label");
            Assert.That(cap.Of("d"), Is.EqualTo(LabelValueCap.Other));
        });
    }

    [Test]
    public void A_label_cap_holds_under_concurrent_new_values()
    {
        var cap = new LabelValueCap(50);
        var labels = new ConcurrentBag<string>();
        Parallel.For(0, 10_000, i => labels.Add(cap.Of($"value-{i}")));

        Assert.That(labels.Where(l => l != LabelValueCap.Other).Distinct().Count(), Is.EqualTo(50));
    }

    [TestCase("accounts.google.com", LoginProviderKind.Google)]
    [TestCase("appleid.apple.com", LoginProviderKind.Apple)]
    [TestCase("graph.facebook.com", LoginProviderKind.Facebook)]
    [TestCase("www.amazon.com", LoginProviderKind.Amazon)]
    [TestCase("cognito-identity.amazonaws.com", LoginProviderKind.Developer)]
    [TestCase("cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123", LoginProviderKind.UserPool)]
    [TestCase("arn:aws:iam::123456789012:saml-provider/Corp", LoginProviderKind.Saml)]
    [TestCase("idp.example.com/tenant-42", LoginProviderKind.Oidc)]
    [TestCase("eyJhbGciOiJSUzI1NiJ9.anything", LoginProviderKind.Oidc)]
    public void A_logins_key_is_labelled_by_its_provider_kind_never_by_itself(string providerKey, string kind) =>
        Assert.That(LoginProviderKind.Of(providerKey), Is.EqualTo(kind));

    [Test]
    public void Every_jwt_failure_has_its_own_snake_case_reason()
    {
        var reasons = Enum.GetValues<JwtFailureKind>().Select(LoginTokenErrors.ReasonOf).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(reasons, Is.Unique);
            Assert.That(reasons, Has.None.EqualTo("other"));
            Assert.That(reasons, Has.All.Matches("^[a-z_]+$"));
            Assert.That(LoginTokenErrors.ReasonOf(JwtFailureKind.NoKeyForKid), Is.EqualTo("no_key_for_kid"));
        });
    }

    [Test]
    public void A_refused_login_token_carries_its_reason_but_the_reply_is_unchanged()
    {
        var error = LoginTokenErrors.From(new JwtFailure(JwtFailureKind.Expired, Now: 20, At: 10), _ => CognitoErrors.ExternalService("down"));

        Assert.Multiple(() =>
        {
            Assert.That(error.Reason, Is.EqualTo("expired"));
            Assert.That(error.Type, Is.EqualTo("NotAuthorizedException"));
            Assert.That(error.Message, Does.Contain("Token expired: 20 >= 10"));
        });
    }

    [Test]
    public void Token_validations_are_counted_by_provider_kind_and_reason_or_error_type()
    {
        var metrics = Metrics();
        metrics.TokenValidated(LoginProviderKind.Google, null);
        metrics.TokenValidated(LoginProviderKind.Oidc, CognitoErrors.InvalidLoginToken("x") with { Reason = "signature" });
        metrics.TokenValidated(LoginProviderKind.Saml, CognitoErrors.InvalidLoginToken("x"));

        Assert.That(Labels(BrokerMetrics.TokenValidationsName, "provider.kind", "outcome"), Is.EquivalentTo(new[]
        {
            "google|success", "oidc|signature", "saml|NotAuthorizedException",
        }));
    }

    [Test]
    public void Credentials_beyond_the_label_cap_are_counted_under_other()
    {
        var metrics = Metrics(maxLabelValues: 2);
        metrics.CredentialsIssued("us-east-1:pool-1", "arn:aws:iam::000000000000:role/a");
        metrics.CredentialsIssued("us-east-1:pool-2", "arn:aws:iam::000000000000:role/b");
        metrics.CredentialsIssued("us-east-1:pool-3", "arn:aws:iam::000000000000:role/c");

        Assert.Multiple(() =>
        {
            Assert.That(Labels(BrokerMetrics.CredentialsIssuedName, "pool"), Is.EqualTo(new[] { "us-east-1:pool-1", "us-east-1:pool-2", "other" }));
            Assert.That(Labels(BrokerMetrics.CredentialsIssuedName, "role"), Has.Exactly(1).EqualTo("other"));
            Assert.That(_measured.Sum(m => m.Value), Is.EqualTo(3), "nothing is dropped, only relabelled");
        });
    }

    [TestCase(200, null, "success")]
    [TestCase(400, "NotAuthorizedException", "NotAuthorizedException")]
    [TestCase(500, "InternalErrorException", "InternalErrorException")]
    [TestCase(404, null, "client_error")]
    [TestCase(503, null, "server_error")]
    public void A_call_outcome_is_success_or_its_aws_error_type(int status, string? errorType, string outcome)
    {
        var call = new CallCompleted("cognito-identity", "GetId", null, status, errorType, TimeSpan.FromMilliseconds(1), "r", null);

        Assert.That(Calls().Outcome(in call), Is.EqualTo(outcome));
    }

    [TestCase("cognito-identity", "TooManyRequestsException")]
    [TestCase("sts", "Throttling")]
    public void A_throttled_call_is_counted_as_throttled_by_service_and_operation(string service, string errorType)
    {
        var metrics = Calls();
        var throttled = new CallCompleted(service, "GetId", null, 400, errorType, TimeSpan.FromMilliseconds(1), "r", null);
        var refused = new CallCompleted(service, "GetId", null, 400, "NotAuthorizedException", TimeSpan.FromMilliseconds(1), "r", null);
        metrics.OnCallCompleted(in throttled);
        metrics.OnCallCompleted(in refused);

        Assert.Multiple(() =>
        {
            Assert.That(Labels(CallMetrics.ThrottledName, "service", "operation"), Is.EqualTo(new[] { $"{service}|GetId" }));
            Assert.That(Labels(CallMetrics.CallsName, "outcome"), Is.EquivalentTo(new[] { errorType, "NotAuthorizedException" }));
        });
    }

    [Test]
    public void Error_types_beyond_the_cap_are_reported_as_other()
    {
        var metrics = Calls(maxLabelValues: 1);
        var first = new CallCompleted("iam", "GetRole", null, 400, "NoSuchEntity", TimeSpan.Zero, "r", null);
        var second = new CallCompleted("iam", "GetRole", null, 400, "InvalidInput", TimeSpan.Zero, "r", null);

        Assert.That(new[] { metrics.Outcome(in first), metrics.Outcome(in second) }, Is.EqualTo(new[] { "NoSuchEntity", "other" }));
    }

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    private BrokerMetrics Metrics(int maxLabelValues = 200) =>
        new(Meters, Options.Create(new BrokerOptions { Metrics = { MaxLabelValues = maxLabelValues } }));

    private CallMetrics Calls(int maxLabelValues = 200) =>
        new(Meters, Options.Create(new BrokerOptions { Metrics = { MaxLabelValues = maxLabelValues } }));

    private IEnumerable<string> Labels(string instrument, params string[] keys) =>
        _measured.Where(m => m.Instrument == instrument).Select(m => string.Join('|', keys.Select(k => m.Tags[k])));
}
