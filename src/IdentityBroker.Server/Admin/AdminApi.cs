using IdentityBroker.Errors;
using IdentityBroker.Mapping;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Hosting;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// <c>/admin/api/...</c>: what AWS has no API for (DESIGN.md). Served by the same <see cref="HttpEdge"/> as the AWS
/// protocols — its body reader, SigV4 check and REST-JSON error writer — with its own body limit; only an admin key may
/// call it (temporary STS credentials are refused even when their signature verifies).
/// </summary>
internal static class AdminApi
{
    private const int MaxBodyBytes = 256 * 1024;

    internal static readonly AwsRoute Route = AwsRoute.RestPath("admin", "/admin/api");

    public static void MapAdminApi(this WebApplication app)
    {
        var services = app.Services;
        Endpoints? endpoints = null;
        app.MapPost("/admin/api/simulate", context =>
        {
            var e = endpoints ??= Endpoints.From(services);
            return e.Edge.ServeAsync(context, AwsProtocol.RestJson, Route, MaxBodyBytes, e.Simulate);
        });
    }

    private static async Task<ProtocolResponse> SimulateAsync(RuleSimulator simulator, AwsCall call, CancellationToken cancellationToken)
    {
        if (call.Caller is not { IsAdmin: true })
        {
            return Error(new AwsError("AccessDeniedException", "The admin API needs a signature made with an admin access key.", 403), call);
        }

        var request = SimulationJson.ReadRequest(call.Request.Body);
        if (!request.IsSuccess)
        {
            return Error(request.Error!, call);
        }

        var outcome = await simulator.SimulateAsync(request.Value, cancellationToken);
        return outcome.Result is { } result
            ? new ProtocolResponse(200, JsonReplies.RestContentType, SimulationJson.WriteResult(result), [new("x-amzn-RequestId", call.RequestId)])
            : Error(outcome.Error!, call);
    }

    private static ProtocolResponse Error(AwsError error, AwsCall call) => call.Dialect.Error(error, call.RequestId);

    private sealed record Endpoints(HttpEdge Edge, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> Simulate)
    {
        public static Endpoints From(IServiceProvider services)
        {
            var edge = services.GetRequiredService<HttpEdge>();
            var simulator = services.GetRequiredService<RuleSimulator>();
            var simulate = new AwsOperation("simulate", requiresSignature: true, (call, t) => SimulateAsync(simulator, call, t));
            return new Endpoints(edge, (call, t) => edge.Dispatcher.RunAsync(call, simulate, t));
        }
    }
}
