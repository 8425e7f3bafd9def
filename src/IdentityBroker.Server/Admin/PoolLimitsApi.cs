using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// A pool's own limits (docs/limits.md, "Per-pool limits"), signed with the admin key like the rest of the admin API:
/// <c>GET</c>/<c>PUT /admin/api/pools/{id}/limits</c> with <c>{"MaxCredentialDurationSeconds": n, "MaxGuestIdentities": n}</c>;
/// an absent or null member sets no limit.
/// </summary>
internal static class PoolLimitsApi
{
    private const int MaxBodyBytes = 4096;

    public static void MapPoolLimits(this WebApplication app)
    {
        var services = app.Services;
        app.MapGet("/admin/api/pools/{id}/limits", context => HandleAsync(context, services, write: false));
        app.MapPut("/admin/api/pools/{id}/limits", context => HandleAsync(context, services, write: true));
    }

    private static Task HandleAsync(HttpContext context, IServiceProvider services, bool write)
    {
        var poolId = context.Request.RouteValues["id"] as string ?? string.Empty;
        var operations = services.GetRequiredService<PoolLimitOperations>();
        return AdminApi.ServeAsync(context, services, "pool-limits", MaxBodyBytes, async (call, cancellationToken) =>
        {
            if (!write)
            {
                return Reply(call, await operations.GetAsync(poolId, cancellationToken));
            }

            var read = Read(call.Request.Body);
            return read.IsSuccess ? Reply(call, await operations.SetAsync(poolId, read.Value, cancellationToken)) : call.Dialect.Error(read.Error!, call.RequestId);
        });
    }

    private static Result<PoolLimits> Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return CognitoErrors.InvalidParameter("The body is a JSON object with MaxCredentialDurationSeconds and MaxGuestIdentities.");
            }

            var duration = Number(root, "MaxCredentialDurationSeconds");
            var guests = Number(root, "MaxGuestIdentities");
            if ((duration.Problem ?? guests.Problem) is { } problem)
            {
                return CognitoErrors.InvalidParameter(problem);
            }

            return new PoolLimits
            {
                MaxCredentialDurationSeconds = duration.Value is { } d ? (int)Math.Clamp(d, int.MinValue, int.MaxValue) : null,
                MaxGuestIdentities = guests.Value,
            };
        }
        catch (JsonException)
        {
            return CognitoErrors.Serialization("The body is not valid JSON.");
        }
    }

    private static (long? Value, string? Problem) Number(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? (null, null)
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? (n, null)
        : (null, $"{name} is a whole number or null.");

    private static ProtocolResponse Reply(AwsCall call, Result<PoolLimits> result)
    {
        if (!result.IsSuccess)
        {
            return call.Dialect.Error(result.Error!, call.RequestId);
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            Write(w, "MaxCredentialDurationSeconds", result.Value.MaxCredentialDurationSeconds);
            Write(w, "MaxGuestIdentities", result.Value.MaxGuestIdentities);
            w.WriteEndObject();
        }

        return new(200, JsonReplies.RestContentType, stream.ToArray(), [new("x-amzn-RequestId", call.RequestId)]);
    }

    private static void Write(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
