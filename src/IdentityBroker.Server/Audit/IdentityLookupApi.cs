using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// Reverse identity lookup (docs/audit.md, "Reverse lookup"), signed with the admin key like the rest of the admin API:
/// <c>GET /admin/api/identities?provider=…&amp;subject=…</c> (the identities that login is linked to, in every pool),
/// <c>?userPoolId=…&amp;username=…</c> (a broker user pool's user: provider = the pool's provider name, subject = the user's sub),
/// and <c>?identityId=…</c>. Each identity comes with its logins (provider and subject), its creation time and its last-seen
/// time (the newest audit event naming it).
/// </summary>
internal static class IdentityLookupApi
{
    private const int MaxBodyBytes = 1024;
    private const int MaxParameter = 2048;
    private const int PoolPage = 60;

    public static void MapIdentityLookup(this WebApplication app)
    {
        var services = app.Services;
        app.MapGet("/admin/api/identities", context => HandleAsync(context, services));
    }

    private static Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        var q = context.Request.Query;
        var ask = new Ask(q["provider"].FirstOrDefault(), q["subject"].FirstOrDefault(), q["identityId"].FirstOrDefault(),
            q["userPoolId"].FirstOrDefault(), q["username"].FirstOrDefault());
        return AdminApi.ServeAsync(context, services, "identities", MaxBodyBytes, (call, t) => ServeAsync(services, ask, call, t));
    }

    private sealed record Ask(string? Provider, string? Subject, string? IdentityId, string? UserPoolId, string? Username)
    {
        public bool TooLong => new[] { Provider, Subject, IdentityId, UserPoolId, Username }.Any(v => v?.Length > MaxParameter);
    }

    private static async Task<ProtocolResponse> ServeAsync(IServiceProvider services, Ask ask, AwsCall call, CancellationToken cancellationToken)
    {
        if (ask.TooLong)
        {
            return Invalid(call, $"Each parameter is at most {MaxParameter} characters.");
        }

        var identities = services.GetRequiredService<IIdentityStore>();
        List<Identity> found;
        if (ask.IdentityId is { Length: > 0 } identityId)
        {
            found = await identities.GetIdentityAsync(identityId, cancellationToken) is { } one ? [one] : [];
        }
        else if (ask.Provider is { Length: > 0 } provider && ask.Subject is { Length: > 0 } subject)
        {
            found = await ByLoginAsync(services, new LoginKey(provider, subject), cancellationToken);
        }
        else if (ask.UserPoolId is { Length: > 0 } userPoolId && ask.Username is { Length: > 0 } username)
        {
            if (await UserLoginAsync(services, userPoolId, username, cancellationToken) is not { } login)
            {
                return call.Dialect.Error(new AwsError("UserNotFoundException", "User does not exist.", 404), call.RequestId);
            }

            found = await ByLoginAsync(services, login, cancellationToken);
        }
        else
        {
            return Invalid(call, "Give identityId, or provider and subject, or userPoolId and username.");
        }

        var body = await WriteAsync(services.GetRequiredService<IAuditStore>(), services, found, cancellationToken);
        return new ProtocolResponse(200, JsonReplies.RestContentType, body, [new("x-amzn-RequestId", call.RequestId)]);
    }

    /// <summary>A login is unique within a pool; the same provider and subject may be linked in several pools.</summary>
    internal static async Task<List<Identity>> ByLoginAsync(IServiceProvider services, LoginKey login, CancellationToken cancellationToken)
    {
        var pools = services.GetRequiredService<IPoolStore>();
        var identities = services.GetRequiredService<IIdentityStore>();
        var found = new List<Identity>();
        string? next = null;
        do
        {
            var page = await pools.ListPoolsAsync(PoolPage, next, cancellationToken);
            foreach (var pool in page.Items)
            {
                if (await identities.FindLoginOwnerAsync(pool.IdentityPoolId, login, cancellationToken) is { } owner
                    && await identities.GetIdentityAsync(owner, cancellationToken) is { } identity)
                {
                    found.Add(identity);
                }
            }

            next = page.NextToken;
        }
        while (next is not null);
        return found;
    }

    private static async Task<LoginKey?> UserLoginAsync(IServiceProvider services, string userPoolId, string username, CancellationToken cancellationToken)
    {
        var userPools = services.GetRequiredService<IUserPoolStore>();
        if (await userPools.GetUserPoolAsync(userPoolId, cancellationToken) is not { } pool)
        {
            return null;
        }

        var users = services.GetRequiredService<IUserStore>();
        foreach (var key in UserKeys.Candidates(pool, username))
        {
            if (await users.FindUserAsync(userPoolId, key, cancellationToken) is { } user)
            {
                return new LoginKey(services.GetRequiredService<UserPoolIssuer>().ProviderNameOf(userPoolId), user.Sub);
            }
        }

        return null;
    }

    private static async Task<byte[]> WriteAsync(IAuditStore audit, IServiceProvider services, List<Identity> found, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var retention = services.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("Identities");
            foreach (var identity in found)
            {
                w.WriteStartObject();
                w.WriteString("IdentityId", identity.IdentityId);
                w.WriteString("IdentityPoolId", identity.IdentityPoolId);
                w.WriteStartArray("Logins");
                foreach (var login in identity.Logins)
                {
                    w.WriteStartObject();
                    w.WriteString("Provider", login.Provider);
                    w.WriteString("Subject", login.Subject);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("CreationDate", identity.CreationDate);
                w.WriteString("LastModifiedDate", identity.LastModifiedDate);
                var now = time.GetUtcNow();
                var seen = await audit.LookupAuditAsync(
                    new AuditQuery(now - TimeSpan.FromDays(retention), now, AuditAttribute.ResourceName, identity.IdentityId, 1, null), cancellationToken);
                if (seen.Events is [var last, ..])
                {
                    w.WriteString("LastSeen", last.EventTime);
                    w.WriteString("LastSeenEvent", last.EventName);
                }
                else
                {
                    w.WriteNull("LastSeen");
                }

                w.WriteBoolean("Disabled", identity.Disabled);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static ProtocolResponse Invalid(AwsCall call, string message) =>
        call.Dialect.Error(new AwsError("InvalidParameterException", message), call.RequestId);
}
