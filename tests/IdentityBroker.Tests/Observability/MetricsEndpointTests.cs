using System.Net;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Server.Observability;
using IdentityBroker.Tests.Integration;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Observability;

/// <summary><c>GET /metrics</c>: who may read it, and what <c>Broker:Metrics</c> turns off (docs/metrics.md, "Access").</summary>
[TestFixture]
public sealed class MetricsEndpointTests
{
    [Test]
    public async Task A_loopback_scraper_reads_prometheus_text_with_the_calls_just_made()
    {
        await using var server = await BrokerServer.StartAsync();
        using var getId = await server.CognitoAsync("GetId", $"{{\"IdentityPoolId\":\"{server.DemoPoolId}\"}}");
        await AwsErrorAssert.IsSuccessAsync(getId);

        using var scrape = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(scrape.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(text, Does.Match("identitybroker_calls_total\\{[^}]*operation=\"GetId\"[^}]*outcome=\"success\""));
        });
    }

    [Test]
    public async Task A_scraper_outside_the_allowed_networks_is_refused()
    {
        // Behind a trusted proxy the client is the forwarded address, as for aws:SourceIp.
        await using var server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:Http:KnownProxies"] = "127.0.0.1" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var refused = await server.Http.SendAsync(request);

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Not.Contain("identitybroker_"));
        });
    }

    [Test]
    public async Task An_allowed_network_configured_for_the_scraper_lets_it_in()
    {
        await using var server = await BrokerServer.StartAsync(new Dictionary<string, string?>
        {
            ["Broker:Http:KnownProxies"] = "127.0.0.1",
            ["Broker:Metrics:AllowedNetworks:0"] = "203.0.113.0/24",
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var scrape = await server.Http.SendAsync(request);

        Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Metrics_disabled_serve_no_route()
    {
        await using var server = await BrokerServer.StartAsync(new Dictionary<string, string?> { ["Broker:Metrics:Enabled"] = "false" });

        using var scrape = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("127.0.0.1", true)]
    [TestCase("::1", true)]
    [TestCase("10.1.2.3", true)]
    [TestCase("172.31.255.1", true)]
    [TestCase("192.168.0.7", true)]
    [TestCase("::ffff:192.168.0.7", true)]
    [TestCase("172.32.0.1", false)]
    [TestCase("203.0.113.9", false)]
    [TestCase("2001:db8::1", false)]
    public void By_default_loopback_and_private_networks_may_scrape(string address, bool allowed)
    {
        var scrapers = new MetricsScrapers(Options.Create(new BrokerOptions()));

        Assert.That(scrapers.Allows(IPAddress.Parse(address)), Is.EqualTo(allowed));
    }

    [Test]
    public void Allowed_networks_may_be_one_comma_separated_value()
    {
        var scrapers = new MetricsScrapers(Options.Create(new BrokerOptions { Metrics = { AllowedNetworks = ["198.51.100.0/24, 203.0.113.7/32"] } }));

        Assert.Multiple(() =>
        {
            Assert.That(scrapers.Allows(IPAddress.Parse("203.0.113.7")), Is.True);
            Assert.That(scrapers.Allows(IPAddress.Parse("127.0.0.1")), Is.False, "a configured list replaces the defaults");
        });
    }

    [TestCase("10.0.0.0/33")]
    [TestCase("prometheus.internal")]
    public void A_malformed_allowed_network_stops_start_up_naming_the_key(string network)
    {
        var result = new BrokerOptionsValidation().Validate(null, new BrokerOptions { Metrics = { AllowedNetworks = [network] } });

        Assert.That(result.FailureMessage, Does.Contain("Broker:Metrics:AllowedNetworks").And.Contain(network));
    }

    [Test]
    public void A_label_cap_below_one_stops_start_up()
    {
        var result = new BrokerOptionsValidation().Validate(null, new BrokerOptions { Metrics = { MaxLabelValues = 0 } });

        Assert.That(result.FailureMessage, Does.Contain("Broker:Metrics:MaxLabelValues"));
    }
}
