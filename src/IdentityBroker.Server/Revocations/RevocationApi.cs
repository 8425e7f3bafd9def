using System.Globalization;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Revocations;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Hosting;

namespace IdentityBroker.Server.Revocations;

/// <summary>
/// Session revocation (docs/revocation.md), signed with the admin key like the rest of the admin API:
/// <c>POST /admin/api/revocations</c> with <c>{IdentityPoolId, IdentityId?, Provider?, Subject?, IssuedBefore?}</c>,
/// <c>GET /admin/api/revocations[?identityPoolId=…]</c>, <c>DELETE /admin/api/revocations/{id}</c>. Each revocation comes
/// back with the role policy that does the same in AWS (aws mode).
/// </summary>
internal static class RevocationApi
{
    private const int MaxBodyBytes = 8 * 1024;

    public static void MapRevocations(this WebApplication app)
    {
        var services = app.Services;
        app.MapPost("/admin/api/revocations", context => ServeAsync(context, services, "revoke", null, RevokeAsync));
        app.MapGet("/admin/api/revocations", context =>
            ServeAsync(context, services, "revocations", context.Request.Query["identityPoolId"].FirstOrDefault(), ListAsync));
        app.MapDelete("/admin/api/revocations/{id}", context =>
            ServeAsync(context, services, "unrevoke", (string?)context.Request.RouteValues["id"], DeleteAsync));
    }

    /// <param name="argument">The query or route value the handler needs, if any.</param>
    private static Task ServeAsync(
        HttpContext context, IServiceProvider services, string name, string? argument,
        Func<RevocationOperations, string?, AwsCall, CancellationToken, Task<ProtocolResponse>> serve)
    {
        var operations = services.GetRequiredService<RevocationOperations>();
        return AdminApi.ServeAsync(context, services, name, MaxBodyBytes, (call, t) => serve(operations, argument, call, t));
    }

    private static async Task<ProtocolResponse> RevokeAsync(RevocationOperations operations, string? _, AwsCall call, CancellationToken cancellationToken)
    {
        var command = RevocationJson.ReadRequest(call.Request.Body);
        if (!command.IsSuccess)
        {
            return Error(command.Error!, call);
        }

        var made = await operations.RevokeAsync(command.Value, cancellationToken);
        return made.IsSuccess ? Ok(RevocationJson.Write([made.Value], single: true), call) : Error(made.Error!, call);
    }

    private static async Task<ProtocolResponse> ListAsync(RevocationOperations operations, string? poolId, AwsCall call, CancellationToken cancellationToken) =>
        Ok(RevocationJson.Write(await operations.ListAsync(poolId, cancellationToken), single: false), call);

    private static async Task<ProtocolResponse> DeleteAsync(RevocationOperations operations, string? id, AwsCall call, CancellationToken cancellationToken)
    {
        var deleted = await operations.DeleteAsync(id ?? string.Empty, cancellationToken);
        return deleted.IsSuccess ? Ok("{}"u8.ToArray(), call) : Error(deleted.Error!, call);
    }

    private static ProtocolResponse Ok(byte[] body, AwsCall call) =>
        new(200, JsonReplies.RestContentType, body, [new("x-amzn-RequestId", call.RequestId)]);

    private static ProtocolResponse Error(AwsError error, AwsCall call) => call.Dialect.Error(error, call.RequestId);
}

/// <summary>The admin API's revocation JSON: times as epoch seconds (as AWS JSON writes timestamps) or, on input, ISO 8601 text.</summary>
internal static class RevocationJson
{
    public static Result<RevokeSessions> ReadRequest(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The body must be a JSON object.");
            }

            var root = document.RootElement;
            string? poolId = null, identityId = null, provider = null, subject = null;
            DateTimeOffset? issuedBefore = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "IdentityPoolId": poolId = Text(property); break;
                    case "IdentityId": identityId = Text(property); break;
                    case "Provider": provider = Text(property); break;
                    case "Subject": subject = Text(property); break;
                    case "IssuedBefore": issuedBefore = Time(property.Value); break;
                    default: return Invalid($"Unknown field '{Shorten(property.Name)}'.");
                }
            }

            return new RevokeSessions(poolId ?? string.Empty, identityId, provider, subject, issuedBefore);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            return Invalid("The body is not a valid revocation: {IdentityPoolId, IdentityId?, Provider?, Subject?, IssuedBefore?} with string fields and IssuedBefore as epoch seconds or ISO 8601 text.");
        }
    }

    public static byte[] Write(IReadOnlyList<Revocation> revocations, bool single)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (single)
            {
                json.WritePropertyName("Revocation");
                WriteOne(json, revocations[0]);
            }
            else
            {
                json.WriteStartArray("Revocations");
                foreach (var revocation in revocations)
                {
                    WriteOne(json, revocation);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOne(Utf8JsonWriter json, Revocation r)
    {
        json.WriteStartObject();
        json.WriteString("RevocationId", r.RevocationId);
        json.WriteString("IdentityPoolId", r.IdentityPoolId);
        WriteIfSet(json, "IdentityId", r.IdentityId);
        WriteIfSet(json, "Provider", r.Provider);
        WriteIfSet(json, "Subject", r.Subject);
        json.WriteNumber("IssuedBefore", r.IssuedBefore.ToUnixTimeMilliseconds() / 1000.0);
        json.WriteNumber("CreatedAt", r.CreatedAt.ToUnixTimeMilliseconds() / 1000.0);
        json.WriteString("AwsRolePolicy", RevocationPolicy.For(r));
        json.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string? Text(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => property.Value.GetString(),
        _ => throw new FormatException($"{property.Name} must be a string."),
    };

    private static DateTimeOffset? Time(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds(checked((long)(value.GetDouble() * 1000))),
        JsonValueKind.String => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new FormatException("IssuedBefore must be a number or a string."),
    };

    private static string Shorten(string text) => text.Length > 64 ? text[..64] : text;

    private static AwsError Invalid(string message) => CognitoErrors.InvalidParameter(message);
}
