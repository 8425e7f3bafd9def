using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Lifecycle;

/// <summary><c>POST /admin/api/identities/bulk-delete</c> on a running broker: signed by the admin key, paged, audited.</summary>
[TestFixture]
public sealed class BulkDeleteApiTests
{
    private const string Path = "/admin/api/identities/bulk-delete";

    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Stale_guests_are_deleted_and_each_deletion_is_in_the_audit_trail()
    {
        var guests = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var reply = await _server.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""");
            guests.Add(JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement.GetProperty("IdentityId").GetString()!);
        }

        var before = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O");
        var job = await RunAsync($$"""{"IdentityPoolId":"{{_server.DemoPoolId}}","LastSeenBefore":"{{before}}"}""");
        while (!job.GetProperty("Done").GetBoolean())
        {
            job = await RunAsync($$"""{"JobId":"{{job.GetProperty("JobId").GetString()}}"}""");
        }

        Assert.That(job.GetProperty("Deleted").GetInt64(), Is.GreaterThanOrEqualTo(3));
        foreach (var guest in guests)
        {
            using var described = await _server.SignedCognitoAsync("DescribeIdentity", $$"""{"IdentityId":"{{guest}}"}""");
            Assert.That((int)described.StatusCode, Is.EqualTo(400), "deleted");
            var now = DateTimeOffset.UtcNow;
            var events = await _server.Services.GetRequiredService<IAuditStore>().LookupAuditAsync(
                new AuditQuery(now.AddHours(-1), now.AddMinutes(1), AuditAttribute.ResourceName, guest, 50, null), default);
            Assert.That(events.Events.Select(e => e.EventName), Does.Contain("DeleteIdentities"), guest);
        }
    }

    [Test]
    public async Task An_unknown_job_a_missing_condition_and_an_unsigned_call_are_refused()
    {
        using var unknown = await SignedAsync("""{"JobId":"bulk-nothing"}""");
        Assert.That((int)unknown.StatusCode, Is.EqualTo(404));
        using var missing = await SignedAsync($$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""");
        Assert.That((int)missing.StatusCode, Is.EqualTo(400));
        using var notJson = await SignedAsync("[1,");
        Assert.That((int)notJson.StatusCode, Is.EqualTo(400));
        using var unsigned = await _server.Http.SendAsync(Post("""{"JobId":"x"}"""));
        Assert.That((int)unsigned.StatusCode, Is.EqualTo(400), "MissingAuthenticationToken");
    }

    private async Task<JsonElement> RunAsync(string body)
    {
        using var response = await SignedAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<HttpResponseMessage> SignedAsync(string body) =>
        _server.Http.SendAsync(_server.Sign(Post(body), "execute-api", body, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));

    private static HttpRequestMessage Post(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return request;
    }
}
