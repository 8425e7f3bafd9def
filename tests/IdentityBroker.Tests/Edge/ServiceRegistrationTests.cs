using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Edge;

/// <summary>
/// A new AWS service is one registration: a fake JSON 1.1 service and a fake REST-JSON service, added to the real broker with
/// one <c>AddAwsService</c> call each, are routed, and get body limits, SigV4 checks and error documents from the edge — the
/// fakes have no code for any of them.
/// </summary>
[TestFixture]
public sealed class ServiceRegistrationTests
{
    private readonly FakeTrailService _trail = new();
    private readonly FakeSyncService _sync = new();
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync(configure: builder =>
    {
        builder.Services.AddAwsService(FakeTrailService.Route, _ => _trail);
        builder.Services.AddAwsService(FakeSyncService.Route, _ => _sync);
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_registered_json_service_is_routed_by_its_target_prefix_beside_cognito()
    {
        using var trail = await _server.Http.SendAsync(TrailRequest("Describe", "{}"));
        var reply = await AwsErrorAssert.IsSuccessAsync(trail);
        Assert.That(reply.GetProperty("operation").GetString(), Is.EqualTo("Describe"));
        Assert.That(reply.GetProperty("caller").GetString(), Is.EqualTo("anonymous"));

        using var cognito = await _server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{_server.DemoPoolId}\"}}");
        Assert.That((await AwsErrorAssert.IsSuccessAsync(cognito)).GetProperty("IdentityId").GetString(), Does.StartWith("us-east-1:"));
    }

    [Test]
    public async Task The_edge_refuses_an_unsigned_call_to_a_signed_operation_before_the_service_runs()
    {
        var before = _trail.Calls;
        using var response = await _server.Http.SendAsync(TrailRequest("Record", "{}"));
        await AwsErrorAssert.IsJsonErrorAsync(response, "MissingAuthenticationTokenException");
        Assert.That(_trail.Calls, Is.EqualTo(before));
    }

    [Test]
    public async Task The_edge_hands_the_verified_signer_to_a_signed_operation()
    {
        using var response = await _server.Http.SendAsync(_server.Sign(TrailRequest("Record", "{}"), "faketrail", "{}", Admin));
        var reply = await AwsErrorAssert.IsSuccessAsync(response);
        Assert.That(reply.GetProperty("caller").GetString(), Is.EqualTo(BrokerServer.AccessKeyId));
    }

    [Test]
    public async Task A_wrong_signature_is_refused_in_the_services_dialect()
    {
        var wrong = new SigningKey(BrokerServer.AccessKeyId, "not-the-secret", null);
        using var response = await _server.Http.SendAsync(_server.Sign(TrailRequest("Record", "{}"), "faketrail", "{}", wrong));
        await AwsErrorAssert.IsJsonErrorAsync(response, "InvalidSignatureException");
    }

    [Test]
    public async Task The_edge_refuses_a_body_over_the_json_limit_before_the_service_runs()
    {
        var before = _trail.Calls;
        var body = "{\"x\":\"" + new string('a', 1_100_000) + "\"}";
        using var request = TrailRequest("Describe", body);
        request.Headers.ExpectContinue = true;
        using var response = await _server.Http.SendAsync(request);
        await AwsErrorAssert.IsJsonErrorAsync(response, "RequestEntityTooLargeException", 413);
        Assert.That(_trail.Calls, Is.EqualTo(before));
    }

    [Test]
    public async Task A_fault_in_a_service_is_the_protocols_internal_error_without_details()
    {
        using var response = await _server.Http.SendAsync(TrailRequest("Fail", "{}"));
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "InternalErrorException", 500);
        Assert.That(message, Does.Not.Contain("a bug in the service"));
    }

    [Test]
    public async Task A_store_outage_in_a_service_is_service_unavailable()
    {
        using var response = await _server.Http.SendAsync(TrailRequest("Outage", "{}"));
        await AwsErrorAssert.IsJsonErrorAsync(response, "ServiceUnavailable", 503);
    }

    [Test]
    public async Task The_services_own_unknown_operation_is_written_by_the_edge()
    {
        using var response = await _server.Http.SendAsync(TrailRequest("Nothing", "{}"));
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "UnknownOperationException");
        Assert.That(message, Is.EqualTo("FakeTrail has no such operation."));
    }

    [Test]
    public async Task An_unknown_target_prefix_names_every_registered_json_service()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "SomethingElse.Describe");
        using var response = await _server.Http.SendAsync(request);
        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "UnknownOperationException");
        Assert.That(message, Does.Contain("AWSCognitoIdentityService").And.Contain(FakeTrailService.TargetPrefix.TrimEnd('.')));
    }

    [Test]
    public async Task A_registered_rest_service_is_routed_by_its_path()
    {
        using var response = await _server.Http.GetAsync(new Uri("/fakesync/pools/us-east-1:p1", UriKind.Relative));
        var reply = await AwsErrorAssert.IsSuccessAsync(response);
        Assert.That(reply.GetProperty("operation").GetString(), Is.EqualTo("DescribePool"));
        Assert.That(reply.GetProperty("pool").GetString(), Is.EqualTo("us-east-1:p1"));
    }

    [Test]
    public async Task The_edge_checks_the_signature_of_a_signed_rest_operation()
    {
        var before = _sync.Calls;
        using var unsigned = await _server.Http.SendAsync(SyncPost("/fakesync/pools/p1/records", "{}"));
        await IsRestErrorAsync(unsigned, "MissingAuthenticationTokenException", 400);
        Assert.That(_sync.Calls, Is.EqualTo(before));

        using var signed = await _server.Http.SendAsync(_server.Sign(SyncPost("/fakesync/pools/p1/records", "{}"), "fakesync", "{}", Admin));
        Assert.That((await AwsErrorAssert.IsSuccessAsync(signed)).GetProperty("caller").GetString(), Is.EqualTo(BrokerServer.AccessKeyId));
    }

    [Test]
    public async Task Rest_errors_from_the_service_and_from_the_edge_use_the_rest_json_error_document()
    {
        using var missing = await _server.Http.GetAsync(new Uri("/fakesync/nothing/here", UriKind.Relative));
        await IsRestErrorAsync(missing, "ResourceNotFoundException", 404);

        using var fault = await _server.Http.GetAsync(new Uri("/fakesync/fail", UriKind.Relative));
        await IsRestErrorAsync(fault, "InternalErrorException", 500);

        using var large = SyncPost("/fakesync/pools/p1/records", "{\"x\":\"" + new string('a', 1_100_000) + "\"}");
        large.Headers.ExpectContinue = true;
        using var tooLarge = await _server.Http.SendAsync(large);
        await IsRestErrorAsync(tooLarge, "RequestEntityTooLargeException", 413);
    }

    [Test]
    public async Task Paths_outside_every_registered_prefix_stay_unmapped()
    {
        using var response = await _server.Http.GetAsync(new Uri("/fakesyncx/pools/p1", UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That(response.Headers.Contains("x-amzn-RequestId"), Is.False, "no AWS service answered");
    }

    private static SigningKey Admin => new(BrokerServer.AccessKeyId, BrokerServer.Secret, null);

    private static HttpRequestMessage TrailRequest(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Json(json) };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", FakeTrailService.TargetPrefix + operation);
        return request;
    }

    private static HttpRequestMessage SyncPost(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return request;
    }

    private static ByteArrayContent Json(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        return content;
    }

    /// <summary>REST-JSON errors: the status, <c>application/json</c>, <c>x-amzn-ErrorType</c> and <c>__type</c>.</summary>
    private static async Task IsRestErrorAsync(HttpResponseMessage response, string type, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Is.EqualTo(type + ":"));
            Assert.That(response.Headers.Contains("x-amzn-RequestId"), Is.True);
            Assert.That(document.RootElement.GetProperty("__type").GetString(), Is.EqualTo(type));
            Assert.That(document.RootElement.TryGetProperty("message", out _), Is.True);
        });
    }
}
