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

    /// <summary>The marker of an array's items in a claim's path (compared by reference: a claim may be named "[]").</summary>
    private static readonly string ArrayItem = new(['[', ']']);

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
    /// <remarks>
    /// One forward pass of a <see cref="Utf8JsonReader"/>, once per login and evaluation, shared by every rule: no document
    /// is built, and the path of a claim (for the message) is joined only when a limit is exceeded.
    /// </remarks>
    public static Dictionary<string, object?>? Claims(byte[] claimsJson, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(claimsJson);
        var reader = new Utf8JsonReader(claimsJson);
        problem = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = "the claims are not a JSON object";
            return null;
        }

        var path = new List<string>(8) { "claims" };
        var claims = ReadObject(ref reader, path, 0, ref problem);
        return problem is null ? claims : null;
    }

    /// <summary>Reads up to the object's end; the reader is on its start.</summary>
    private static Dictionary<string, object?>? ReadObject(ref Utf8JsonReader reader, List<string> path, int depth, ref string? problem)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            path.Add(name);
            map[name] = ReadValue(ref reader, path, depth + 1, ref problem);
            path.RemoveAt(path.Count - 1);
        }

        return TooLarge(map.Count, path, ref problem) ? null : map;
    }

    private static object? ReadValue(ref Utf8JsonReader reader, List<string> path, int depth, ref string? problem)
    {
        if (depth > ExpressionLimits.MaxDepth)
        {
            problem ??= $"{Join(path)} nests deeper than {ExpressionLimits.MaxDepth} levels";
            reader.Skip();
            return null;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, path, depth, ref problem);
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                path.Add(ArrayItem);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader, path, depth + 1, ref problem));
                }

                path.RemoveAt(path.Count - 1);
                return TooLarge(list.Count, path, ref problem) ? null : list;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                // Boxed apart: a conditional of long and double would widen every whole number to double.
                return reader.TryGetInt64(out var whole) ? (object)whole : reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>"claims.org.teams[]": a path as the messages name it.</summary>
    private static string Join(List<string> path)
    {
        var text = new System.Text.StringBuilder(path[0]);
        foreach (var segment in path.Skip(1))
        {
            text.Append(ReferenceEquals(segment, ArrayItem) ? "[]" : "." + segment);
        }

        return text.ToString();
    }

    private static bool TooLarge(int count, List<string> path, ref string? problem)
    {
        if (count <= ExpressionLimits.MaxListSize)
        {
            return false;
        }

        problem ??= $"{Join(path)} has {count} values, more than the {ExpressionLimits.MaxListSize} an expression rule's cost budget allows";
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
