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
        app.MapPost("/admin/api/simulate", context => ServeSimulateAsync(context, services));
    }

    private static Task ServeSimulateAsync(HttpContext context, IServiceProvider services) =>
        ServeAsync(context, services, "simulate", MaxBodyBytes, (call, t) => SimulateAsync(services.GetRequiredService<RuleSimulator>(), call, t));

    /// <summary>
    /// Serves one admin call through the edge (body limit, SigV4, REST-JSON errors); <paramref name="serve"/> runs only for a
    /// caller signed with an admin key, every other signer gets AccessDeniedException.
    /// </summary>
    internal static Task ServeAsync(
        HttpContext context, IServiceProvider services, string name, int maxBodyBytes, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> serve)
    {
        var edge = services.GetRequiredService<HttpEdge>();
        var operation = new AwsOperation(name, requiresSignature: true, (call, t) => call.Caller is { IsAdmin: true }
            ? serve(call, t)
            : Task.FromResult(Error(new AwsError("AccessDeniedException", "The admin API needs a signature made with an admin access key.", 403), call)));
        return edge.ServeAsync(context, AwsProtocol.RestJson, Route, maxBodyBytes, (call, t) => edge.Dispatcher.RunAsync(call, operation, t));
    }

    private static async Task<ProtocolResponse> SimulateAsync(RuleSimulator simulator, AwsCall call, CancellationToken cancellationToken)
    {
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

}
