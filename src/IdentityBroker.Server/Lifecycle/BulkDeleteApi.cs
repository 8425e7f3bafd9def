using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Identities.Lifecycle;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Storage;

namespace IdentityBroker.Server.Lifecycle;

/// <summary>
/// Bulk deletion by condition (docs/identities.md, "Bulk deletion"), signed with the admin key like the rest of the admin API:
/// <c>POST /admin/api/identities/bulk-delete</c> with <c>{IdentityPoolId, LastSeenBefore, UnauthenticatedOnly?, Provider?}</c>
/// starts a job and runs its first page; <c>{JobId}</c> runs the job's next page (also after a crash: the cursor is stored).
/// Each answer is <c>{JobId, Examined, Deleted, Done}</c>, the counts so far.
/// </summary>
internal static class BulkDeleteApi
{
    private const int MaxBodyBytes = 4096;

    public static void MapBulkDelete(this WebApplication app)
    {
        var services = app.Services;
        app.MapPost("/admin/api/identities/bulk-delete", context => HandleAsync(context, services));
    }

    private static Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        return AdminApi.ServeAsync(context, services, "bulk-delete", MaxBodyBytes, (call, t) => ServeAsync(services, call, t));
    }

    private static async Task<ProtocolResponse> ServeAsync(IServiceProvider services, AwsCall call, CancellationToken cancellationToken)
    {
        var deletion = services.GetRequiredService<BulkDeletion>();
        var job = await JobAsync(services, deletion, call.Request.Body, cancellationToken);
        if (!job.IsSuccess)
        {
            return call.Dialect.Error(job.Error!, call.RequestId);
        }

        var after = await deletion.RunPageAsync(job.Value, call.Caller!.AccessKeyId, cancellationToken);
        return new ProtocolResponse(200, JsonReplies.RestContentType, Write(after), [new("x-amzn-RequestId", call.RequestId)]);
    }

    private static async Task<Result<BulkDeleteJob>> JobAsync(
        IServiceProvider services, BulkDeletion deletion, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        BulkDeleteRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body.Span, BulkDeleteJsonContext.Default.BulkDeleteRequest);
        }
        catch (JsonException)
        {
            return Invalid("The body must be a JSON object: {IdentityPoolId, LastSeenBefore, UnauthenticatedOnly?, Provider?} or {JobId}.");
        }

        if (request?.JobId is { } jobId)
        {
            return jobId.Length <= 64 && await deletion.LoadAsync(jobId, cancellationToken) is { } stored
                ? stored
                : new AwsError("ResourceNotFoundException", "No bulk deletion has this JobId.", 404);
        }

        if (request?.IdentityPoolId is not { Length: > 0 and <= 55 } poolId || request.LastSeenBefore is not { } before)
        {
            return Invalid("IdentityPoolId and LastSeenBefore (an ISO 8601 time) are required to start a bulk deletion.");
        }

        if (request.Provider is { Length: 0 or > 2048 })
        {
            return Invalid("Provider is a Logins key of 1 to 2048 characters.");
        }

        var unauthenticatedOnly = request.UnauthenticatedOnly ?? true;
        if (unauthenticatedOnly && request.Provider is not null)
        {
            return Invalid("Provider selects identities with a login: give UnauthenticatedOnly false with it.");
        }

        if (await services.GetRequiredService<IPoolStore>().GetPoolAsync(poolId, cancellationToken) is null)
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        return BulkDeletion.Start(new BulkDeleteCondition(poolId, before, unauthenticatedOnly, request.Provider));
    }

    private static byte[] Write(BulkDeleteJob job) =>
        JsonSerializer.SerializeToUtf8Bytes(new BulkDeleteReply(job.JobId, job.Examined, job.Deleted, job.Done), BulkDeleteJsonContext.Default.BulkDeleteReply);

    private static AwsError Invalid(string message) => new("InvalidParameterException", message);
}

internal sealed record BulkDeleteRequest(
    string? JobId, string? IdentityPoolId, DateTimeOffset? LastSeenBefore, bool? UnauthenticatedOnly, string? Provider);

internal sealed record BulkDeleteReply(string JobId, long Examined, long Deleted, bool Done);

[System.Text.Json.Serialization.JsonSerializable(typeof(BulkDeleteRequest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(BulkDeleteReply))]
internal sealed partial class BulkDeleteJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
