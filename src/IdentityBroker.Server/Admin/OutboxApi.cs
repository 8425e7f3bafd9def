using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Server.Messages;
using IdentityBroker.Storage;
using IdentityBroker.UserPools;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// <c>GET /admin/api/userpools/{id}/outbox[?username=]</c>: the dev outbox of a pool (DESIGN.md, admin API), newest first,
/// through the same edge and admin-key check as the rest of the admin API.
/// </summary>
internal static class OutboxApi
{
    private const int MaxBodyBytes = 1024;

    public static void MapUserPoolOutbox(this WebApplication app)
    {
        var services = app.Services;
        app.MapGet("/admin/api/userpools/{id}/outbox", context => ServeAsync(context, services));
    }

    private static Task ServeAsync(HttpContext context, IServiceProvider services)
    {
        var outbox = services.GetRequiredService<DevOutbox>();
        var pools = services.GetRequiredService<IUserPoolStore>();
        var poolId = (string)context.Request.RouteValues["id"]!;
        var username = context.Request.Query["username"].FirstOrDefault();
        return AdminApi.ServeAsync(context, services, "outbox", MaxBodyBytes, (call, t) => ReadAsync(outbox, pools, poolId, username, call, t));
    }

    private static async Task<ProtocolResponse> ReadAsync(
        DevOutbox outbox, IUserPoolStore pools, string poolId, string? username, AwsCall call, CancellationToken cancellationToken)
    {
        if (poolId.Length > 55 || await pools.GetUserPoolAsync(poolId, cancellationToken) is null)
        {
            return call.Dialect.Error(UserPoolErrors.UserPoolNotFound(poolId.Length > 55 ? poolId[..55] : poolId), call.RequestId);
        }

        return new ProtocolResponse(200, JsonReplies.RestContentType, Write(outbox.Read(poolId, username)), [new("x-amzn-RequestId", call.RequestId)]);
    }

    private static byte[] Write(IReadOnlyList<OutboxMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Messages");
            foreach (var m in messages)
            {
                json.WriteStartObject();
                json.WriteString("Username", m.Username);
                json.WriteString("Channel", m.Channel == UserPools.Messages.MessageChannel.Email ? "EMAIL" : "SMS");
                json.WriteString("Purpose", m.Purpose.ToString());
                json.WriteString("Destination", m.Destination);
                json.WriteString("Subject", m.Subject);
                json.WriteString("Body", m.Body);
                json.WriteString("Time", m.Time);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
