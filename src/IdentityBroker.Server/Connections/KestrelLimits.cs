using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Connections;

/// <summary>Broker:Http onto Kestrel, with the transport that enforces the connection limit.</summary>
internal static class KestrelLimits
{
    public static void AddConnectionLimits(this IServiceCollection services)
    {
        // Read once, before options validation, which checks the settings against it.
        services.AddSingleton(ConnectionBudget.OfThisProcess());
        services.AddSingleton<IValidateOptions<BrokerOptions>, ConnectionLimitsValidation>();
        services.AddSingleton<ConnectionLog>();
        services.AddSingleton<UnstartedConnections>();
        services.AddSingleton<IConnectionListenerFactory, BoundedSocketTransport>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<BrokerOptions>>((kestrel, broker) => Apply(kestrel.Limits, broker.Value.Http));
    }

    /// <summary>
    /// First in the pipeline: a connection whose request arrived is not closed to make room while the request is served;
    /// once its response is sent it is silent again, kept alive.
    /// </summary>
    public static void UseRequestStartedMark(this WebApplication app)
    {
        var unstarted = app.Services.GetRequiredService<UnstartedConnections>();
        app.Use((context, next) =>
        {
            var connectionId = context.Connection.Id;
            unstarted.Started(connectionId);
            context.Response.OnCompleted(() =>
            {
                unstarted.Completed(connectionId);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    private static void Apply(KestrelServerLimits limits, HttpOptions http)
    {
        // The connection limit is enforced at accept (BoundedSocketListener). Kestrel's own limit would log a warning
        // for every connection it closes; a flood of connections would become a flood of log lines.
        limits.MaxConcurrentConnections = null;
        limits.MaxConcurrentUpgradedConnections = http.MaxConcurrentUpgradedConnections;
        limits.KeepAliveTimeout = http.KeepAliveTimeout;
        limits.RequestHeadersTimeout = http.RequestHeadersTimeout;
        limits.MaxRequestHeaderCount = http.MaxRequestHeaderCount;
        limits.MaxRequestHeadersTotalSize = http.MaxRequestHeadersTotalSize;
    }
}
