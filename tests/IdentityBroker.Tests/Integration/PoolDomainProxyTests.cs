using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// A pool domain behind a TLS-ending reverse proxy: X-Forwarded-Proto and X-Forwarded-Host are believed only from the
/// proxies named in Broker:Http:KnownProxies; otherwise a client cannot make the domain's URLs say https or another host.
/// </summary>
[TestFixture]
public sealed class PoolDomainProxyTests
{
    private static async Task<string> DiscoveryEndpointAsync(BrokerServer server, string prefix)
    {
        using var pool = await server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"proxied"}""");
        var id = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("UserPool").GetProperty("Id").GetString();
        using var domain = await server.SignedUserPoolsAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{id}}","Domain":"{{prefix}}"}""");
        await AwsErrorAssert.IsSuccessAsync(domain);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "broker.internal:8080";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", $"{prefix}.auth.localhost:8443");
        using var response = await server.Http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("authorization_endpoint").GetString()!;
    }

    [Test]
    public async Task Forwarded_scheme_and_host_are_believed_from_a_known_proxy()
    {
        await using var server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:Http:KnownProxies:0"] = "127.0.0.1" });

        Assert.That(await DiscoveryEndpointAsync(server, "proxied"), Is.EqualTo("https://proxied.auth.localhost:8443/oauth2/authorize"));
    }

    [Test]
    public async Task Forwarded_headers_are_ignored_without_known_proxies()
    {
        await using var server = await BrokerServer.StartAsync();

        using var pool = await server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"direct"}""");
        var id = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("UserPool").GetProperty("Id").GetString();
        using var domain = await server.SignedUserPoolsAsync("CreateUserPoolDomain", $$"""{"UserPoolId":"{{id}}","Domain":"direct"}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "direct.auth.localhost";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        using var response = await server.Http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(document.RootElement.GetProperty("authorization_endpoint").GetString(), Is.EqualTo("http://direct.auth.localhost/oauth2/authorize"));
    }
}
