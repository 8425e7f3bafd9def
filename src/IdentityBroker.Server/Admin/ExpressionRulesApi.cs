using IdentityBroker.Configuration;
using IdentityBroker.Errors;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Mapping.Replay;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Audit;
using IdentityBroker.Server.Configuration;
using IdentityBroker.Server.Hosting;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// Expression rules (docs/expression-rules.md), signed with the admin key like the rest of the admin API:
/// <c>GET</c>/<c>PUT /admin/api/pools/{id}/rules</c> reads or replaces a pool's rules (a write is compiled, type-checked and
/// trust-checked first), and <c>POST /admin/api/replay</c> replays the pool's recorded decisions under proposed rules.
/// </summary>
internal static class ExpressionRulesApi
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static void MapExpressionRules(this WebApplication app)
    {
        var services = app.Services;
        app.MapGet("/admin/api/pools/{id}/rules", context => HandleRulesAsync(context, services, write: false));
        app.MapPut("/admin/api/pools/{id}/rules", context => HandleRulesAsync(context, services, write: true));
        app.MapPost("/admin/api/replay", context => HandleReplayAsync(context, services));
    }

    private static Task HandleRulesAsync(HttpContext context, IServiceProvider services, bool write)
    {
        var poolId = context.Request.RouteValues["id"] as string ?? string.Empty;
        return write
            ? ServeAsync(context, services, "rules", (call, t) => PutAsync(services, poolId, call, t))
            : ServeAsync(context, services, "rules", (call, t) => GetAsync(services, poolId, call, t));
    }

    /// <summary>A replay may carry a whole configuration document: the configuration endpoints' limit.</summary>
    private const int MaxReplayBodyBytes = 4 * 1024 * 1024;

    private static Task HandleReplayAsync(HttpContext context, IServiceProvider services) =>
        AdminApi.ServeAsync(context, services, "replay", MaxReplayBodyBytes, (call, t) => ReplayAsync(services, call, t));

    private static Task ServeAsync(HttpContext context, IServiceProvider services, string name, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> serve) =>
        AdminApi.ServeAsync(context, services, name, MaxBodyBytes, serve);

    private static async Task<ProtocolResponse> GetAsync(IServiceProvider services, string poolId, AwsCall call, CancellationToken cancellationToken)
    {
        var rules = await services.GetRequiredService<ExpressionRuleOperations>().GetAsync(poolId, cancellationToken);
        return rules.IsSuccess ? Ok(call, ExpressionRulesJson.WriteRules(rules.Value)) : call.Dialect.Error(rules.Error!, call.RequestId);
    }

    /// <summary>A write, read or refused, is recorded in the audit trail as the console's (<see cref="AdminCallAudit"/>).</summary>
    private static async Task<ProtocolResponse> PutAsync(IServiceProvider services, string poolId, AwsCall call, CancellationToken cancellationToken)
    {
        var audit = services.GetRequiredService<AdminCallAudit>();
        var started = audit.Start();
        var read = ExpressionRulesJson.ReadRules(call.Request.Body);
        if (!read.IsSuccess)
        {
            audit.RulesWritten(call, poolId, null, read.Error, started);
            return call.Dialect.Error(read.Error!, call.RequestId);
        }

        var stored = await services.GetRequiredService<ExpressionRuleOperations>().SetAsync(poolId, read.Value, cancellationToken);
        audit.RulesWritten(call, poolId, read.Value, stored.Error, started);
        return stored.IsSuccess ? Ok(call, ExpressionRulesJson.WriteRules(stored.Value)) : call.Dialect.Error(stored.Error!, call.RequestId);
    }

    private static async Task<ProtocolResponse> ReplayAsync(IServiceProvider services, AwsCall call, CancellationToken cancellationToken)
    {
        var read = ExpressionRulesJson.ReadReplay(call.Request.Body, services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (!read.IsSuccess)
        {
            return call.Dialect.Error(read.Error!, call.RequestId);
        }

        var request = read.Value.Request;
        if (read.Value.Configuration is { } configuration)
        {
            var proposed = await ConfigurationProposal.PoolAsync(services.GetRequiredService<ConfigurationPlanner>(), configuration, request.IdentityPoolId, cancellationToken);
            if (!proposed.IsSuccess)
            {
                return call.Dialect.Error(proposed.Error!, call.RequestId);
            }

            request = request with { ProposedPool = proposed.Value };
        }

        var result = await services.GetRequiredService<DecisionReplay>().ReplayAsync(request, cancellationToken);
        return result.IsSuccess ? Ok(call, ExpressionRulesJson.WriteReplay(result.Value)) : call.Dialect.Error(result.Error!, call.RequestId);
    }

    private static ProtocolResponse Ok(AwsCall call, byte[] body) =>
        new(200, JsonReplies.RestContentType, body, [new("x-amzn-RequestId", call.RequestId)]);
}
