using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Server.Audit;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Console;

public sealed record IdentitySearchModel(ConsoleCall Call, IReadOnlyList<IdentityPool> Pools, string Pool, string Provider, string Subject, string IdentityId,
    IReadOnlyList<Identity> Found, string? Next, string? Error);

public sealed record IdentityModel(ConsoleCall Call, Identity Identity, IReadOnlyList<AuditRecord> Recent);

/// <summary>
/// Identities (docs/console.md, "Identities"): a pool's identities, the reverse lookup by provider and subject (the admin
/// API's own, <see cref="IdentityLookupApi"/>), an identity with its logins and its latest audit events and decisions, and
/// disable and delete (DeleteIdentities' own operation).
/// </summary>
internal static class IdentityPages
{
    private const int PageSize = 50;

    public static async Task<IResult> SearchAsync(HttpContext http, IPoolStore pools, IIdentityStore identities)
    {
        var call = ConsoleCall.Of(http);
        var pool = call.Query("pool") ?? "";
        var provider = call.Query("provider") ?? "";
        var subject = call.Query("subject") ?? "";
        var identityId = call.Query("identityId") ?? "";
        var found = new List<Identity>();
        string? next = null;
        string? error = null;
        if (identityId.Length > 0)
        {
            if (await identities.GetIdentityAsync(identityId, call.Aborted) is { } one)
            {
                found.Add(one);
            }
        }
        else if (provider.Length > 0 && subject.Length > 0)
        {
            found = await IdentityLookupApi.ByLoginAsync(http.RequestServices, new LoginKey(provider, subject), call.Aborted);
        }
        else if (pool.Length > 0)
        {
            try
            {
                var page = await identities.ListIdentitiesAsync(pool, PageSize, call.Query("next"), hideDisabled: false, call.Aborted);
                found.AddRange(page.Items);
                next = page.NextToken;
            }
            catch (InvalidNextTokenException)
            {
                error = "That page link is no longer valid; start again from the first page.";
            }
        }

        var allPools = (await pools.ListPoolsAsync(60, null, call.Aborted)).Items;
        var model = new IdentitySearchModel(call, allPools, pool, provider, subject, identityId, found, next, error);
        return ConsoleEndpoints.Page<IdentitiesView>(new { Model = model });
    }

    public static async Task<IResult> ShowAsync(HttpContext http, string id, IIdentityStore identities, IAuditStore audit, TimeProvider time, IOptions<AuditOptions> options)
    {
        var call = ConsoleCall.Of(http);
        if (id.Length > 55 || await identities.GetIdentityAsync(id, call.Aborted) is not { } identity)
        {
            return ConsoleEndpoints.Message("Not found", $"There is no identity {id}.", StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        var recent = await audit.LookupAuditAsync(
            new AuditQuery(now.AddDays(-options.Value.RetentionDays), now.AddMinutes(1), AuditAttribute.ResourceName, id, 20, null), call.Aborted);
        return ConsoleEndpoints.Page<IdentityView>(new { Model = new IdentityModel(call, identity, recent.Events) });
    }

    /// <summary>Disabling has no Cognito operation: its audit record is the broker's own <c>DisableIdentity</c> event (docs/console.md, "Audit").</summary>
    public static async Task<IResult> DisableAsync(HttpContext http, string id, IIdentityStore identities, TimeProvider time, ConsoleAudit audit)
    {
        var call = ConsoleCall.Of(http);
        var started = audit.Start();
        var disabled = id.Length <= 55 && await identities.DisableIdentityAsync(id, time.GetUtcNow(), call.Aborted);
        var request = new DisableIdentityRequest(id);
        await audit.RecordAsync(call, ConsoleWrite.Of("DisableIdentity", request, ConsoleJsonContext.Default.DisableIdentityRequest, started) with
        {
            IdentityId = disabled ? id : null,
        }, disabled ? null : CognitoErrors.IdentityNotFound(id));
        return disabled
            ? Results.Redirect(IdentityPath(id))
            : ConsoleEndpoints.Message("Not found", $"There is no identity {id}.", StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> DeleteAsync(HttpContext http, string id, IdentityOperations operations, ConsoleAudit audit)
    {
        var call = ConsoleCall.Of(http);
        var started = audit.Start();
        var deleted = await operations.DeleteIdentitiesAsync(new DeleteIdentities([id]), call.Aborted);
        await audit.RecordAsync(call, ConsoleWrite.Of("DeleteIdentities", new DeleteIdentitiesRequest { IdentityIdsToDelete = [id] },
            ConsoleJsonContext.Default.DeleteIdentitiesRequest, started) with { IdentityId = id }, deleted.Error);
        return deleted.IsSuccess
            ? Results.Redirect("/console/identities?identityId=" + Uri.EscapeDataString(id))
            : ConsoleEndpoints.Message("Refused", deleted.Error!.Message, deleted.Error.StatusCode);
    }

    public static string IdentityPath(string id) => "/console/identities/" + Uri.EscapeDataString(id);
}
