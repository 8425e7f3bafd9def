using IdentityBroker.Protocol.Services;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// Maps the AWS protocols onto <see cref="HttpEdge"/>: <c>/</c> for JSON 1.1 and Query (GET too, as STS allows), and each
/// REST-JSON service's path prefix. The routes come from the <see cref="AwsServiceRegistration"/>s, so a registered service
/// needs nothing here.
/// </summary>
internal static class ProtocolEndpoints
{
    public static void MapProtocolEndpoints(this WebApplication app)
    {
        // The edge and the services are singletons resolved once, on the first request: not at start-up, where options
        // validation must report first, nor through a request service scope on every call as delegate parameters would be.
        var services = app.Services;
        HttpEdge? edge = null;
        RequestDelegate root = context => (edge ??= services.GetRequiredService<HttpEdge>()).ServeRootAsync(context);
        RequestDelegate rest = context => (edge ??= services.GetRequiredService<HttpEdge>()).ServeRestAsync(context);
        app.MapPost("/", root);
        app.MapGet("/", root);
        foreach (var registration in services.GetServices<AwsServiceRegistration>().Where(r => r.Route.Protocol == AwsProtocol.RestJson))
        {
            app.Map(registration.Route.Key, rest);
            app.Map(registration.Route.Key + "/{**path}", rest);
        }
    }
}
