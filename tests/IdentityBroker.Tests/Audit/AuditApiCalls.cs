using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Integration;

namespace IdentityBroker.Tests.Audit;

/// <summary>The audit trail's two signed reads, as the audit tests call them: CloudTrail's LookupEvents and the admin API's GETs.</summary>
internal static class AuditApiCalls
{
    private const string Target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    public static Task<HttpResponseMessage> SendLookupAsync(this BrokerServer server, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", Target + "LookupEvents");
        return server.Http.SendAsync(server.Sign(request, "cloudtrail", body, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
    }

    /// <summary>LookupEvents with <paramref name="body"/>; asserts 200 and returns the reply.</summary>
    public static async Task<JsonElement> LookupAsync(this BrokerServer server, string body)
    {
        using var response = await server.SendLookupAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A signed GET of the admin API; asserts 200 and returns the reply.</summary>
    public static async Task<JsonElement> AdminGetAsync(this BrokerServer server, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await server.Http.SendAsync(server.Sign(request, "execute-api", string.Empty, new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
