using System.Text;
using IdentityBroker.Configuration;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Admin;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// Configuration as code over the admin API (docs/config-as-code.md), signed with the admin key like the rest of it:
/// <c>GET /admin/api/config</c> exports the document (YAML), <c>POST /admin/api/config/plan</c> and
/// <c>POST /admin/api/config/apply</c> take one (YAML or JSON) and answer the report as JSON.
/// </summary>
internal static class ConfigurationApi
{
    /// <summary>A whole broker's document: far above a real configuration, far below what could exhaust memory.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public static void MapConfigurationApi(this WebApplication app)
    {
        var services = app.Services;
        app.MapGet("/admin/api/config", context => ServeAsync(context, services, "config", ExportAsync));
        app.MapPost("/admin/api/config/plan", context => ServeAsync(context, services, "config/plan", PlanAsync));
        app.MapPost("/admin/api/config/apply", context => ServeAsync(context, services, "config/apply", ApplyAsync));
    }

    private static Task ServeAsync(
        HttpContext context, IServiceProvider services, string name, Func<ConfigurationPlanner, AwsCall, CancellationToken, Task<ProtocolResponse>> serve) =>
        AdminApi.ServeAsync(context, services, name, MaxBodyBytes, (call, t) => serve(services.GetRequiredService<ConfigurationPlanner>(), call, t));

    private static async Task<ProtocolResponse> ExportAsync(ConfigurationPlanner planner, AwsCall call, CancellationToken cancellationToken)
    {
        var document = await planner.ExportAsync(cancellationToken);
        return new ProtocolResponse(200, ConfigurationYaml.ContentType, Encoding.UTF8.GetBytes(ConfigurationYaml.Write(document)), Headers(call));
    }

    private static async Task<ProtocolResponse> PlanAsync(ConfigurationPlanner planner, AwsCall call, CancellationToken cancellationToken)
    {
        var document = ConfigurationYaml.Read(Encoding.UTF8.GetString(call.Request.Body.Span));
        if (!document.IsSuccess)
        {
            return call.Dialect.Error(document.Error!, call.RequestId);
        }

        var plan = await planner.PlanAsync(document.Value, cancellationToken);
        return new ProtocolResponse(200, JsonReplies.RestContentType, ConfigurationReportJson.WritePlan(plan), Headers(call));
    }

    private static async Task<ProtocolResponse> ApplyAsync(ConfigurationPlanner planner, AwsCall call, CancellationToken cancellationToken)
    {
        var document = ConfigurationYaml.Read(Encoding.UTF8.GetString(call.Request.Body.Span));
        if (!document.IsSuccess)
        {
            return call.Dialect.Error(document.Error!, call.RequestId);
        }

        var apply = await planner.ApplyAsync(document.Value, cancellationToken);
        var status = ConfigurationReportJson.StatusOf(apply);
        return new ProtocolResponse(status, JsonReplies.RestContentType, ConfigurationReportJson.WriteApply(apply), Headers(call))
        {
            ErrorType = status == 200 ? null : apply.Outcome == ApplyOutcome.Refused ? ConfigurationReportJson.RefusedType : ConfigurationReportJson.InterferedType,
        };
    }

    private static KeyValuePair<string, string>[] Headers(AwsCall call) => [new("x-amzn-RequestId", call.RequestId)];
}
