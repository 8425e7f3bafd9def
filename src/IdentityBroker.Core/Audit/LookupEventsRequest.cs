using System.Globalization;
using System.Text;
using System.Text.Json;
using IdentityBroker.Errors;

namespace IdentityBroker.Audit;

/// <summary>
/// CloudTrail's LookupEvents input (cloudtrail 2013-11-01 model): at most one LookupAttribute, StartTime ≤ EndTime (epoch
/// seconds), MaxResults 1–50 (default 50), an opaque NextToken; each wrong field is CloudTrail's own error.
/// </summary>
public static class LookupEventsRequest
{
    public const int DefaultMaxResults = 50;

    private const int MaxValueLength = 2000;

    public static Result<AuditQuery> Read(ReadOnlyMemory<byte> body, DateTimeOffset now, int retentionDays)
    {
        try
        {
            using var document = JsonDocument.Parse(body.IsEmpty ? "{}"u8.ToArray() : body, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("ValidationException", "The request body must be a JSON object.");
            }

            return Read(root, now, retentionDays);
        }
        catch (JsonException)
        {
            return Invalid("SerializationException", "The request body is not valid JSON.");
        }
    }

    private static Result<AuditQuery> Read(JsonElement root, DateTimeOffset now, int retentionDays)
    {
        var attribute = Attribute(root);
        if (!attribute.IsSuccess)
        {
            return attribute.Error!;
        }

        var oldest = now - TimeSpan.FromDays(retentionDays);
        var start = Time(root, "StartTime") ?? oldest;
        var end = Time(root, "EndTime") ?? now;
        if (start > end)
        {
            return Invalid("InvalidTimeRangeException", "Start time must be before end time.");
        }

        var max = DefaultMaxResults;
        if (root.TryGetProperty("MaxResults", out var m))
        {
            if (m.ValueKind != JsonValueKind.Number || !m.TryGetInt32(out max) || max is < 1 or > 50)
            {
                return Invalid("InvalidMaxResultsException", "MaxResults must be from 1 to 50.");
            }
        }

        AuditCursor? cursor = null;
        if (root.TryGetProperty("NextToken", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            cursor = t.ValueKind == JsonValueKind.String ? DecodeToken(t.GetString()!) : null;
            if (cursor is null)
            {
                return Invalid("InvalidNextTokenException", "Invalid NextToken.");
            }
        }

        var (key, value) = attribute.Value;
        if (start < oldest)
        {
            start = oldest;
        }

        if (key == AuditAttribute.EventId && AuditEventId.Millisecond(value) is { } millisecond)
        {
            // Only that millisecond can hold the event: both stores then read a few rows by time instead of the whole window.
            start = start > millisecond ? start : millisecond;
            var last = millisecond.AddTicks(TimeSpan.TicksPerMillisecond - 1);
            end = end < last ? end : last;
        }

        return new AuditQuery(start, end, key, value, max, cursor);
    }

    private static Result<(AuditAttribute?, string?)> Attribute(JsonElement root)
    {
        if (!root.TryGetProperty("LookupAttributes", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return ((AuditAttribute?)null, (string?)null);
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > 1)
        {
            return Invalid("InvalidLookupAttributesException", "LookupAttributes may contain at most one attribute.");
        }

        if (list.GetArrayLength() == 0)
        {
            return ((AuditAttribute?)null, (string?)null);
        }

        var item = list[0];
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("AttributeKey", out var k) || k.ValueKind != JsonValueKind.String
            || !Enum.TryParse<AuditAttribute>(k.GetString(), ignoreCase: false, out var key) || !Enum.IsDefined(key) || char.IsDigit(k.GetString()![0]))
        {
            return Invalid("InvalidLookupAttributesException",
                "AttributeKey must be one of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId.");
        }

        if (!item.TryGetProperty("AttributeValue", out var v) || v.ValueKind != JsonValueKind.String
            || v.GetString() is not { Length: >= 1 and <= MaxValueLength } value)
        {
            return Invalid("InvalidLookupAttributesException", $"AttributeValue must be 1 to {MaxValueLength} characters.");
        }

        return ((AuditAttribute?)key, value);
    }

    /// <summary>AWS JSON timestamps are epoch seconds (a number, fractions allowed).</summary>
    private static DateTimeOffset? Time(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var seconds))
        {
            return null;
        }

        var ms = Math.Clamp(seconds * 1000, 0, 253_402_300_799_000d);
        return DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
    }

    public static string EncodeToken(AuditCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var text = string.Create(CultureInfo.InvariantCulture, $"a1:{cursor.TimeTicks}:{cursor.Sequence}");
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
    }

    public static AuditCursor? DecodeToken(string token)
    {
        if (token.Length is 0 or > 200)
        {
            return null;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            return parts.Length == 3 && parts[0] == "a1"
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                ? new AuditCursor(ticks, seq)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static AwsError Invalid(string type, string message) => new(type, message);
}
