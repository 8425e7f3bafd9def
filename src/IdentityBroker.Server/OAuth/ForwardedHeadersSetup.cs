using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// Behind a reverse proxy that ends TLS: <c>Broker:Http:KnownProxies</c> (IP addresses) and/or
/// <c>Broker:Http:KnownNetworks</c> (CIDR ranges) name the proxies whose <c>X-Forwarded-Proto</c>, <c>X-Forwarded-Host</c>
/// and <c>X-Forwarded-For</c> are believed (ASP.NET Core's ForwardedHeaders), so the pool domains see the browser's
/// https scheme and host: their discovery URLs say https and the hosted-session cookie is Secure. With neither set, the
/// headers are ignored (a client cannot claim https or another host by sending them).
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string ProxiesKey = "Broker:Http:KnownProxies";
    public const string NetworksKey = "Broker:Http:KnownNetworks";

    public static void UseKnownProxies(this WebApplication app)
    {
        var proxies = Read(app.Configuration, ProxiesKey);
        var networks = Read(app.Configuration, NetworksKey);
        if (proxies.Length == 0 && networks.Length == 0)
        {
            return;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"{ProxiesKey}: '{proxy}' is not an IP address."));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{NetworksKey}: '{network}' is not a CIDR range such as 10.0.0.0/8."));
        }

        app.UseForwardedHeaders(options);

        // Routing after the forwarded headers, so that the pool domains' host matching sees the forwarded host too (left
        // implicit, routing would run first, on the proxy's Host).
        app.UseRouting();
    }

    /// <summary>A list (<c>:0</c>, <c>:1</c>, …) or one comma-separated value (handy in an environment variable).</summary>
    private static string[] Read(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return values.Where(v => !string.IsNullOrWhiteSpace(v)).SelectMany(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
    }
}
