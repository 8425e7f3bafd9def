using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Observability;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Tokens;

namespace IdentityBroker.Server.Keys;

/// <summary>
/// <c>POST /admin/api/keys/rotate</c> (signed with the admin key): the broker signs its OpenID tokens with a new key from now
/// on; the replaced key stays in the JWKS until its tokens have expired (docs/revocation.md, "Signing-key rotation").
/// Answers <c>{"KeyId": "…", "PublishedKeyIds": […]}</c>.
/// </summary>
internal static partial class KeyRotationApi
{
    private const int MaxBodyBytes = 1024;

    public static void MapKeyRotation(this WebApplication app)
    {
        var services = app.Services;
        app.MapPost("/admin/api/keys/rotate", context => ServeAsync(context, services));
    }

    private static Task ServeAsync(HttpContext context, IServiceProvider services)
    {
        var ring = services.GetRequiredService<SigningKeyRing>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("IdentityBroker.Keys");
        return AdminApi.ServeAsync(context, services, "rotate-keys", MaxBodyBytes, (call, t) => RotateAsync(ring, logger, call, t));
    }

    private static async Task<ProtocolResponse> RotateAsync(SigningKeyRing ring, ILogger logger, AwsCall call, CancellationToken cancellationToken)
    {
        var keyId = await ring.RotateAsync(cancellationToken);
        LogRotated(logger, keyId, "on demand");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("KeyId", keyId);
            json.WriteStartArray("PublishedKeyIds");
            foreach (var key in ring.PublishedKeys)
            {
                json.WriteStringValue(key.Key.KeyId);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new ProtocolResponse(200, JsonReplies.RestContentType, buffer.ToArray(), [new("x-amzn-RequestId", call.RequestId)]);
    }

    [LoggerMessage(EventId = LogEvents.SigningKeyRotated, Level = LogLevel.Information, Message = "Signing key {KeyId} now signs the broker's tokens ({Reason})")]
    internal static partial void LogRotated(ILogger logger, string keyId, string reason);
}
