using System.Runtime.CompilerServices;
using System.Text.Json;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// A login's claims as CEL values: the validated token's JSON with arrays and nested objects preserved (strings, int for
/// whole numbers, double, bool, null, lists and maps). Logins that are not JWTs (SAML, social) have only their attribute
/// lists: a single value is a string, several are a list. Inputs larger than the checker's worst case assumed are refused.
/// </summary>
public static class ExpressionValues
{
    /// <summary>Claims that only bind a token to its request; they say nothing about the user and are not recorded.</summary>
    private static readonly HashSet<string> Unrecorded = new(StringComparer.Ordinal) { "nonce", "at_hash", "c_hash", "s_hash" };

    /// <summary>The claims as JSON: the token's payload as validated, or an object built from the attribute lists.</summary>
    public static byte[] ClaimsJson(MappingLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (login.Payload is { } payload)
        {
            return payload;
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (name, values) in login.Claims)
            {
                if (values.Count == 1)
                {
                    w.WriteString(name, values[0]);
                    continue;
                }

                w.WriteStartArray(name);
                foreach (var value in values)
                {
                    w.WriteStringValue(value);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The recorded form of each claims payload still in use, made once: a validated token's payload is one array for as long
    /// as the verified-token cache holds it, so the calls that present the same token share one parse (docs/audit.md,
    /// "What it costs"). Entries go when their payload is collected.
    /// </summary>
    private static readonly ConditionalWeakTable<byte[], byte[]> RecordedClaims = new();

    /// <summary>The claims as the audit record keeps them for replay: everything but the request-binding hashes and nonce.</summary>
    public static void WriteRecorded(Utf8JsonWriter w, byte[] claimsJson)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(claimsJson);
        w.WriteRawValue(RecordedClaims.GetValue(claimsJson, Recorded), skipInputValidation: true);
    }

    private static byte[] Recorded(byte[] claimsJson)
    {
        using var document = JsonDocument.Parse(claimsJson);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(claimsJson.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject().Where(p => !Unrecorded.Contains(p.Name)))
            {
                property.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <returns>The claims map, or null with <paramref name="problem"/> when they exceed the evaluation limits.</returns>
    public static Dictionary<string, object?>? Claims(byte[] claimsJson, out string? problem)
    {
        using var document = JsonDocument.Parse(claimsJson);
        problem = null;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = "the claims are not a JSON object";
            return null;
        }

        var value = Convert(document.RootElement, "claims", 0, ref problem);
        return problem is null ? (Dictionary<string, object?>)value! : null;
    }

    private static object? Convert(JsonElement element, string path, int depth, ref string? problem)
    {
        if (depth > ExpressionLimits.MaxDepth)
        {
            problem ??= $"{path} nests deeper than {ExpressionLimits.MaxDepth} levels";
            return null;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = Convert(property.Value, $"{path}.{property.Name}", depth + 1, ref problem);
                }

                return TooLarge(map.Count, path, ref problem) ? null : map;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(Convert(item, $"{path}[]", depth + 1, ref problem));
                }

                return TooLarge(list.Count, path, ref problem) ? null : list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                // Boxed apart: a conditional of long and double would widen every whole number to double.
                return element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static bool TooLarge(int count, string path, ref string? problem)
    {
        if (count <= ExpressionLimits.MaxListSize)
        {
            return false;
        }

        problem ??= $"{path} has {count} values, more than the {ExpressionLimits.MaxListSize} an expression rule's cost budget allows";
        return true;
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
