using System.Text.Json;

namespace IdentityBroker.Audit;

/// <summary>
/// A request's parameters as CloudTrail's <c>requestParameters</c>: member names with a lower-case first letter, and every
/// sensitive value replaced by <see cref="Hidden"/>, the marker CloudTrail writes for such fields. Sensitive: tokens, passwords,
/// secrets, codes, sign-in sessions and assertions, and every value of the maps that carry them (Logins, AuthParameters,
/// ChallengeResponses) — the maps' keys (provider names) stay. Bodies that are not JSON objects are not recorded.
/// </summary>
public static class AuditRedaction
{
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private const int MaxDepth = 16;

    private static readonly string[] HiddenMaps = ["logins", "authparameters", "challengeresponses", "clientmetadata", "credentials"];

    /// <summary>The JSON 1.1 body's parameters, or null when the body is empty or not a JSON object.</summary>
    public static string? FromJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth + 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return AuditJsonText.Write(document.RootElement, static (w, root) => WriteObject(w, root, 0));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A Query request's parameters (Action and Version left out: they are the event's name and the API version).</summary>
    public static string? FromQuery(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var kept = parameters.Where(p => p.Key is not ("Action" or "Version")).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (kept.Count == 0)
        {
            return null;
        }

        return AuditJsonText.Write(kept, static (w, members) =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in members)
            {
                w.WriteString(CamelCase(name), IsSensitive(name) ? Hidden : value);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>True for a member whose value is a secret, whatever the service calls it.</summary>
    public static bool IsSensitive(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lower = name.ToLowerInvariant();
        return lower.EndsWith("token", StringComparison.Ordinal)
            || lower.Contains("password", StringComparison.Ordinal)
            || lower.Contains("secret", StringComparison.Ordinal)
            || lower.EndsWith("code", StringComparison.Ordinal)
            || lower.Contains("assertion", StringComparison.Ordinal)
            || lower is "session" or "otp" or "accesstoken" or "sessiontoken";
    }

    private static void WriteObject(Utf8JsonWriter w, JsonElement element, int depth)
    {
        w.WriteStartObject();
        foreach (var member in element.EnumerateObject())
        {
            w.WritePropertyName(CamelCase(member.Name));
            if (IsSensitive(member.Name))
            {
                w.WriteStringValue(Hidden);
            }
            else if (member.Value.ValueKind == JsonValueKind.Object && HiddenMaps.Contains(member.Name.ToLowerInvariant()))
            {
                WriteHiddenMap(w, member.Value);
            }
            else
            {
                WriteValue(w, member.Value, depth + 1);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteHiddenMap(Utf8JsonWriter w, JsonElement map)
    {
        w.WriteStartObject();
        foreach (var entry in map.EnumerateObject())
        {
            w.WriteString(entry.Name, Hidden);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, JsonElement value, int depth)
    {
        if (depth > MaxDepth)
        {
            w.WriteStringValue(Hidden);
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(w, value, depth);
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(w, item, depth + 1);
                }

                w.WriteEndArray();
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }

    /// <summary>CloudTrail's member names: the API's name with its first letter in lower case (IdentityPoolId → identityPoolId).</summary>
    public static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) || !char.IsUpper(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
