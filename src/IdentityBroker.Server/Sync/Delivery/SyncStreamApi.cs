using System.Globalization;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Admin;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Server.Sync.Delivery;

/// <summary>
/// <c>GET /admin/api/sync/stream?IdentityPoolId=&amp;After=&amp;MaxResults=&amp;Format=</c>: a pool's Cognito Streams records,
/// oldest first, after a position (none: from the start), through the admin API's edge and admin-key check. The JSON
/// answer is <c>{"Records": [{"Position", "Record"}], "LastPosition"}</c>; <c>Format=jsonl</c> answers the same entries
/// one per line (<c>application/x-ndjson</c>) with the last position in <c>X-Broker-Last-Position</c>, for an export.
/// </summary>
internal static class SyncStreamApi
{
    public const int DefaultMaxResults = 100;
    public const int MaxMaxResults = 10_000;
    private const string JsonLines = "application/x-ndjson";
    private const string LastPositionHeader = "X-Broker-Last-Position";

    public static WebApplication MapSyncStream(this WebApplication app)
    {
        var services = app.Services;
        app.MapGet("/admin/api/sync/stream", context => ServeAsync(context, services));
        return app;
    }

    private static Task ServeAsync(HttpContext context, IServiceProvider services)
    {
        var store = services.GetRequiredService<ISyncStore>();
        var query = context.Request.Query;
        return AdminApi.ServeAsync(context, services, "sync-stream", 1024, (call, t) => ReadAsync(store, query, call, t));
    }

    private static async Task<ProtocolResponse> ReadAsync(ISyncStore store, IQueryCollection query, AwsCall call, CancellationToken cancellationToken)
    {
        var request = StreamRequest.Read(query);
        if (!request.IsSuccess)
        {
            return call.Dialect.Error(request.Error!, call.RequestId);
        }

        var r = request.Value;
        var entries = await store.ReadSyncStreamAsync(r.IdentityPoolId, r.After, r.MaxResults, cancellationToken);
        var page = new StreamPage(entries, entries.Count == 0 ? null : entries[^1].Position);

        List<KeyValuePair<string, string>> headers = [new("x-amzn-RequestId", call.RequestId)];
        if (r.JsonLines)
        {
            if (page.LastPosition is { } last)
            {
                headers.Add(new(LastPositionHeader, last));
            }

            return new ProtocolResponse(200, JsonLines, WriteLines(page), headers);
        }

        return new ProtocolResponse(200, JsonReplies.RestContentType, WriteJson(page), headers);
    }

    private static byte[] WriteJson(StreamPage page)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var entry in page.Entries)
            {
                CognitoStreamRecord.WriteEntry(json, entry);
            }

            json.WriteEndArray();
            if (page.LastPosition is { } last)
            {
                json.WriteString("LastPosition", last);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] WriteLines(StreamPage page)
    {
        using var buffer = new MemoryStream();
        foreach (var entry in page.Entries)
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                CognitoStreamRecord.WriteEntry(json, entry);
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private sealed record StreamPage(IReadOnlyList<SyncStreamEntry> Entries, string? LastPosition);

    private sealed record StreamRequest(string IdentityPoolId, string? After, int MaxResults, bool JsonLines)
    {
        public static Result<StreamRequest> Read(IQueryCollection query)
        {
            var poolId = query["IdentityPoolId"].FirstOrDefault();
            // An identity pool id has the identity id's shape (the model's [\w-]+:[0-9a-f-]+, 1 to 55 characters).
            if (poolId is null || !SyncNames.IsIdentityId(poolId))
            {
                return Invalid("IdentityPoolId is required: an identity pool id such as us-east-1:<guid>.");
            }

            // A position is the SQLite row id or the Redis Stream entry id: digits, and one '-' in the latter.
            var after = query["After"].FirstOrDefault();
            if (after is { Length: 0 or > 41 } || (after is not null && after.Any(c => !char.IsAsciiDigit(c) && c != '-')))
            {
                return Invalid("After must be a position returned by this API.");
            }

            var max = DefaultMaxResults;
            if (query["MaxResults"].FirstOrDefault() is { } text
                && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxMaxResults))
            {
                return Invalid($"MaxResults must be 1 to {MaxMaxResults}.");
            }

            var format = query["Format"].FirstOrDefault();
            if (format is not (null or "json" or "jsonl"))
            {
                return Invalid("Format must be json or jsonl.");
            }

            return new StreamRequest(poolId, after, max, format == "jsonl");
        }

        private static AwsError Invalid(string message) => new("InvalidParameterException", message);
    }
}
