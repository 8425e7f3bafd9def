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

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth + 4 };

    private static readonly string[] HiddenMaps = ["logins", "authparameters", "challengeresponses", "clientmetadata", "credentials"];

    /// <summary>
    /// The JSON 1.1 body's parameters, or null when the body is empty, not well-formed JSON or not a JSON object. Read once,
    /// token by token, into the redacted copy: no document is built, and a hidden value is stepped over, never copied.
    /// </summary>
    public static string? FromJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var first = new Utf8JsonReader(body.Span, ReaderOptions);
            if (!first.Read() || first.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            return AuditJsonText.Write(body, static (w, json) =>
            {
                var reader = new Utf8JsonReader(json.Span, ReaderOptions);
                reader.Read();
                WriteObject(w, ref reader, 0);

                // Anything after the object but white space is malformed (the reader throws).
                reader.Read();
            });
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

        // Compared ignoring case, without a lower-case copy of every member name of every request.
        const StringComparison Ignore = StringComparison.OrdinalIgnoreCase;
        return name.EndsWith("token", Ignore)
            || name.Contains("password", Ignore)
            || name.Contains("secret", Ignore)
            || name.EndsWith("code", Ignore)
            || name.Contains("assertion", Ignore)
            || name.Equals("session", Ignore) || name.Equals("otp", Ignore);
    }

    private static bool IsHiddenMap(string name)
    {
        foreach (var map in HiddenMaps)
        {
            if (name.Equals(map, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The object the reader is at (its start), up to and including its end.</summary>
    private static void WriteObject(Utf8JsonWriter w, ref Utf8JsonReader reader, int depth)
    {
        w.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            w.WritePropertyName(CamelCase(name));
            reader.Read();
            if (IsSensitive(name))
            {
                reader.Skip();
                w.WriteStringValue(Hidden);
            }
            else if (reader.TokenType == JsonTokenType.StartObject && IsHiddenMap(name))
            {
                WriteHiddenMap(w, ref reader);
            }
            else
            {
                WriteValue(w, ref reader, depth + 1);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteHiddenMap(Utf8JsonWriter w, ref Utf8JsonReader reader)
    {
        w.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            w.WriteString(reader.GetString()!, Hidden);
            reader.Read();
            reader.Skip();
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, ref Utf8JsonReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            reader.Skip();
            w.WriteStringValue(Hidden);
            return;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                WriteObject(w, ref reader, depth);
                break;
            case JsonTokenType.StartArray:
                w.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    WriteValue(w, ref reader, depth + 1);
                }

                w.WriteEndArray();
                break;
            case JsonTokenType.String when reader.ValueIsEscaped:
                w.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.String:
                w.WriteStringValue(reader.ValueSpan);
                break;
            case JsonTokenType.Number:
                w.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                w.WriteBooleanValue(reader.GetBoolean());
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    /// <summary>CloudTrail's member names: the API's name with its first letter in lower case (IdentityPoolId → identityPoolId).</summary>
    public static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) || !char.IsUpper(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
