using System.Globalization;
using System.Text.Json;
using IdentityBroker.Audit;

namespace IdentityBroker.Server.Console;

/// <summary>Reads what the console shows of an audit record from its CloudTrail JSON: the error code and the decision, as written.</summary>
internal static class AuditView
{
    /// <summary><c>additionalEventData.decision</c> (DecisionJson's form), or null when the event carries none or its JSON is unreadable.</summary>
    public static JsonElement? Decision(AuditRecord record) =>
        Event(record) is { } root && root.TryGetProperty("additionalEventData", out var extra) && extra.ValueKind == JsonValueKind.Object
            && extra.TryGetProperty("decision", out var decision) && decision.ValueKind == JsonValueKind.Object
            ? decision
            : null;

    public static string? ErrorCode(AuditRecord record) =>
        Event(record) is { } root && root.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;

    /// <summary>The whole record, parsed (a copy detached from the parser), or null when it is not JSON.</summary>
    public static JsonElement? Event(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            using var document = JsonDocument.Parse(record.CloudTrailEvent);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A JSON value's leaves as <c>path=value</c> pairs (<c>role.rule.claim=dept</c>): the one-line form of a decision in
    /// the audit list, whatever fields the decision has.
    /// </summary>
    public static IReadOnlyList<string> Flatten(JsonElement value)
    {
        var pairs = new List<string>();
        Walk(value, "", pairs);
        return pairs;
    }

    private static void Walk(JsonElement value, string path, List<string> pairs)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, pairs);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Walk(item, path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]", pairs);
                }

                break;
            case JsonValueKind.String:
                pairs.Add(path + "=" + value.GetString());
                break;
            default:
                pairs.Add(path + "=" + value.GetRawText());
                break;
        }
    }
}
