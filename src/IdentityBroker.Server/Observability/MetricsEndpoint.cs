using System.Net;
using IdentityBroker.Observability;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace IdentityBroker.Server.Observability;

/// <summary>
/// <c>GET /metrics</c>: the broker's meters, ASP.NET Core's and the runtime's, in Prometheus text through OpenTelemetry
/// (docs/metrics.md). Unauthenticated, as Prometheus scrapes, but only from <see cref="MetricsOptions.AllowedNetworks"/>
/// (loopback and private ranges unless configured); <c>Broker:Metrics:Enabled</c> false registers nothing at all.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    private const string EnabledKey = "Broker:Metrics:Enabled";

    public static void AddBrokerMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BrokerMetrics>();
        services.AddSingleton<ICallObserver, CallMetrics>();
        if (!IsEnabled(configuration))
        {
            return;
        }

        services.AddSingleton<MetricsScrapers>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(BrokerMetrics.MeterName, StoreMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()

            // No cached scrape: Prometheus scrapes every few seconds at most, and a cached answer would hide the last calls.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void MapMetrics(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }

        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: pipeline => pipeline.Use(async (context, next) =>
        {
            if (!context.RequestServices.GetRequiredService<MetricsScrapers>().Allows(context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("This address may not read /metrics (Broker:Metrics:AllowedNetworks).\n", context.RequestAborted);
                return;
            }

            await next(context);
        }), optionsName: null);
    }

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledKey, defaultValue: true);
}

/// <summary>The networks <c>/metrics</c> answers, parsed once from <see cref="MetricsOptions.EffectiveAllowedNetworks"/> (validated at start-up).</summary>
internal sealed class MetricsScrapers(IOptions<BrokerOptions> options)
{
    private readonly System.Net.IPNetwork[] _networks = [.. options.Value.Metrics.EffectiveAllowedNetworks().Select(n => System.Net.IPNetwork.Parse(n))];

    public bool Allows(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(candidate));
    }
}
