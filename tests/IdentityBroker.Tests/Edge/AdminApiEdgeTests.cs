using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Integration;

namespace IdentityBroker.Tests.Edge;

/// <summary>
/// The admin API is served by the same edge as the AWS protocols: its body limit, SigV4 check and REST-JSON error document,
/// with only an admin key admitted.
/// </summary>
[TestFixture]
public sealed class AdminApiEdgeTests
{
    private const string Path = "/admin/api/simulate";

    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task An_unsigned_call_gets_the_edges_signature_refusal_as_a_rest_json_error()
    {
        using var response = await _server.Http.SendAsync(Post(Body));
        await IsRestErrorAsync(response, "MissingAuthenticationTokenException", 400);
    }

    [Test]
    public async Task Temporary_credentials_are_refused_even_though_their_signature_verifies()
    {
        var callers = await TemporaryCallers.CreateAsync(_server);
        using var response = await _server.Http.SendAsync(_server.Sign(Post(Body), "execute-api", Body, callers.Guest));
        await IsRestErrorAsync(response, "AccessDeniedException", 403);
    }

    [Test]
    public async Task A_body_over_the_admin_limit_is_refused_by_the_edge()
    {
        var body = "{\"IdentityPoolId\":\"" + new string('a', 300 * 1024) + "\"}";
        using var request = Post(body);
        request.Headers.ExpectContinue = true;
        using var response = await _server.Http.SendAsync(request);
        await IsRestErrorAsync(response, "RequestEntityTooLargeException", 413);
    }

    [Test]
    public async Task An_admin_signed_call_runs_the_simulator()
    {
        using var response = await _server.Http.SendAsync(_server.Sign(Post(Body), "execute-api", Body,
            new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }

    private string Body => $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""";

    private static HttpRequestMessage Post(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return request;
    }

    private static async Task IsRestErrorAsync(HttpResponseMessage response, string type, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Is.EqualTo(type + ":"));
            Assert.That(document.RootElement.GetProperty("__type").GetString(), Is.EqualTo(type));
        });
    }
}
