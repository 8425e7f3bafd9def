using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IdentityBroker.Observability;
using IdentityBroker.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Edge;

/// <summary>
/// Every call the edge answers — JSON 1.1 and Query, success or refusal — is told once to every registered call observer,
/// and the broker's own observer counts it on the "IdentityBroker" meter.
/// </summary>
[TestFixture]
public sealed class CallObservationTests
{
    private readonly RecordingObserver _recorded = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();
    private BrokerServer _server = null!;
    private MeterListener _listener = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync(configure: builder => builder.Services.AddSingleton<ICallObserver>(_recorded));
        var meters = _server.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            // Only this broker's meter: other fixtures' brokers in the same process have meters of the same name.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "IdentityBroker" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _listener.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_successful_json_call_is_counted_and_timed_by_service_operation_and_outcome()
    {
        using var response = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{_server.DemoPoolId}\"}}");
        await AwsErrorAssert.IsSuccessAsync(response);

        var tags = Tags("cognito-identity", "GetId", "success");
        Assert.That(Measured("identitybroker.calls", tags).Sum(m => m.Value), Is.GreaterThanOrEqualTo(1));
        Assert.That(Measured("identitybroker.call.duration", tags).Select(m => m.Value), Has.Some.GreaterThan(0));
    }

    [Test]
    public async Task A_refused_signature_on_a_query_call_is_counted_with_its_aws_error_type_as_outcome()
    {
        var wrong = new SigningKey(BrokerServer.AccessKeyId, "not-the-secret", null);
        using var response = await _server.SignedQueryAsync("sts", "Action=GetCallerIdentity&Version=2011-06-15", wrong);
        Assert.That((int)response.StatusCode, Is.EqualTo(403));

        Assert.That(Measured("identitybroker.calls", Tags("sts", "GetCallerIdentity", "SignatureDoesNotMatch")), Is.Not.Empty);
        var call = _recorded.For(RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(call.Service, Is.EqualTo("sts"));
            Assert.That(call.ErrorType, Is.EqualTo("SignatureDoesNotMatch"));
            Assert.That(call.CallerAccessKeyId, Is.Null, "the signature did not verify: nobody is the caller");
        });
    }

    [Test]
    public async Task An_unknown_operation_is_counted_without_taking_its_name_from_the_request()
    {
        using var response = await _server.CognitoAsync("Steal" + Guid.NewGuid().ToString("N"), "{}");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));

        var errorType = _recorded.For(RequestId(response)).ErrorType;
        Assert.That(errorType, Is.Not.Null);
        Assert.That(Measured("identitybroker.calls", Tags("cognito-identity", CallCompleted.Unrouted, errorType!)), Is.Not.Empty);
        Assert.That(_measurements.SelectMany(m => m.Tags.Values), Has.None.StartsWith("Steal"));
    }

    [Test]
    public async Task Each_observer_gets_the_caller_status_error_request_id_and_source_address()
    {
        using var signed = await _server.SignedCognitoAsync("ListIdentityPools", "{\"MaxResults\":1}");
        await AwsErrorAssert.IsSuccessAsync(signed);
        using var anonymous = await _server.CognitoAsync("DescribeIdentity", "{\"IdentityId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}");

        var ok = _recorded.For(RequestId(signed));
        var refused = _recorded.For(RequestId(anonymous));
        Assert.Multiple(() =>
        {
            Assert.That(ok.Operation, Is.EqualTo("ListIdentityPools"));
            Assert.That(ok.CallerAccessKeyId, Is.EqualTo(BrokerServer.AccessKeyId));
            Assert.That(ok.StatusCode, Is.EqualTo(200));
            Assert.That(ok.ErrorType, Is.Null);
            Assert.That(ok.SourceIp, Is.EqualTo("127.0.0.1"));
            Assert.That(ok.Duration, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(refused.Operation, Is.EqualTo("DescribeIdentity"));
            Assert.That(refused.CallerAccessKeyId, Is.Null);
            Assert.That(refused.StatusCode, Is.EqualTo(400));
            Assert.That(refused.ErrorType, Is.EqualTo("MissingAuthenticationTokenException"));
        });
    }

    [Test]
    public async Task An_admin_api_call_is_observed_as_the_admin_service()
    {
        var body = $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/simulate") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        using var response = await _server.Http.SendAsync(_server.Sign(request, "execute-api", body, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());

        var call = _recorded.For(RequestId(response));
        Assert.That((call.Service, call.Operation, call.CallerAccessKeyId), Is.EqualTo(("admin", "simulate", (string?)BrokerServer.AccessKeyId)));
    }

    private static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-amzn-RequestId").Single();

    private static Dictionary<string, string?> Tags(string service, string operation, string outcome) =>
        new() { ["service"] = service, ["operation"] = operation, ["outcome"] = outcome };

    private List<(string Instrument, double Value, Dictionary<string, string?> Tags)> Measured(string instrument, Dictionary<string, string?> tags) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Tags.Count == tags.Count && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value))];

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (key, tag) in tags)
        {
            copy[key] = tag as string;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }

    private sealed class RecordingObserver : ICallObserver
    {
        private readonly ConcurrentDictionary<string, CallCompleted> _calls = new();

        public void OnCallCompleted(in CallCompleted call) => _calls[call.RequestId] = call;

        public CallCompleted For(string requestId) =>
            _calls.TryGetValue(requestId, out var call) ? call : throw new AssertionException($"No call was observed for request {requestId}.");
    }
}
