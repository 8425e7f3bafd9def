using System.Globalization;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Mapping.Replay;
using IdentityBroker.Pools;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// The JSON of the expression-rule endpoints: <c>{"ExpressionRules": [{"Condition", "Role", "Tags", "SessionPolicy",
/// "DurationSeconds"}]}</c>, and the replay request and result. A body of the wrong shape is an InvalidParameterException
/// naming the member; nothing is stored.
/// </summary>
internal static class ExpressionRulesJson
{
    /// <summary>A replay request as read; <paramref name="Configuration"/> is a proposed configuration document's text, if given.</summary>
    internal sealed record ReplayBody(ReplayRequest Request, string? Configuration);

    public static Result<IReadOnlyList<ExpressionRule>> ReadRules(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("ExpressionRules", out var rules))
            {
                return Invalid("The body is a JSON object with an ExpressionRules array.");
            }

            return Rules(rules);
        }
        catch (JsonException)
        {
            return CognitoErrors.Serialization("The body is not valid JSON.");
        }
    }

    /// <summary>
    /// The replay request: the proposal is <c>ExpressionRules</c> and/or <c>RoleMappings</c>, or a whole configuration
    /// document in <c>Configuration</c> (docs/config-as-code.md: a JSON object, or the YAML or JSON text as a string).
    /// </summary>
    public static Result<ReplayBody> ReadReplay(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("IdentityPoolId", out var poolId) || poolId.ValueKind != JsonValueKind.String)
            {
                return Invalid("IdentityPoolId is required.");
            }

            IReadOnlyList<ExpressionRule>? rules = null;
            if (root.TryGetProperty("ExpressionRules", out var r))
            {
                var read = Rules(r);
                if (!read.IsSuccess)
                {
                    return read.Error!;
                }

                rules = read.Value;
            }

            var mappings = root.TryGetProperty("RoleMappings", out var m) ? Mappings(m) : null;
            string? configuration = null;
            if (root.TryGetProperty("Configuration", out var c))
            {
                if (rules is not null || mappings is not null)
                {
                    return Invalid("Give either a Configuration or ExpressionRules and RoleMappings, not both.");
                }

                configuration = c.ValueKind switch
                {
                    JsonValueKind.Object => c.GetRawText(),
                    JsonValueKind.String => c.GetString(),
                    _ => null,
                };
                if (configuration is null)
                {
                    return Invalid("Configuration is a configuration document: a JSON object, or its YAML or JSON text as a string.");
                }
            }

            var end = Time(root, "EndTime") ?? now;
            var start = Time(root, "StartTime") ?? end - TimeSpan.FromDays(7);
            return new ReplayBody(new ReplayRequest(poolId.GetString()!, rules, mappings, start, end), configuration);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return Invalid($"The replay request is malformed: {e.Message}");
        }
    }

    private static Result<IReadOnlyList<ExpressionRule>> Rules(JsonElement rules)
    {
        if (rules.ValueKind != JsonValueKind.Array)
        {
            return Invalid("ExpressionRules is an array.");
        }

        var list = new List<ExpressionRule>();
        var index = 0;
        foreach (var item in rules.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object)
            {
                return Invalid($"Expression rule {index} is not an object.");
            }

            if (item.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("Condition" or "Role" or "Tags" or "SessionPolicy" or "DurationSeconds")) is { } unknown)
            {
                return Invalid($"Expression rule {index}: unknown member '{unknown}'.");
            }

            if (Rule(item) is not { } rule)
            {
                return Invalid($"Expression rule {index}: Condition, Role and SessionPolicy are strings, Tags an object of strings, DurationSeconds an integer.");
            }

            list.Add(rule);
        }

        return list;
    }

    private static ExpressionRule? Rule(JsonElement item)
    {
        string? Text(string name) => item.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException() : null;
        try
        {
            Dictionary<string, string>? tags = null;
            if (item.TryGetProperty("Tags", out var t))
            {
                tags = t.ValueKind == JsonValueKind.Object && t.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)
                    ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                    : throw new FormatException();
            }

            int? duration = item.TryGetProperty("DurationSeconds", out var d) ? d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var s) ? s : throw new FormatException() : null;
            return new ExpressionRule { Condition = Text("Condition"), Role = Text("Role"), Tags = tags, SessionPolicy = Text("SessionPolicy"), DurationSeconds = duration };
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Dictionary<string, RoleMapping> Mappings(JsonElement mappings) =>
        mappings.EnumerateObject().ToDictionary(p => p.Name, p => new RoleMapping
        {
            Type = p.Value.GetProperty("Type").GetString(),
            AmbiguousRoleResolution = p.Value.TryGetProperty("AmbiguousRoleResolution", out var a) ? a.GetString() : null,
            RulesConfiguration = p.Value.TryGetProperty("RulesConfiguration", out var c)
                ? new RulesConfiguration
                {
                    Rules = [.. c.GetProperty("Rules").EnumerateArray().Select(r => new MappingRule
                    {
                        Claim = r.GetProperty("Claim").GetString(),
                        MatchType = r.GetProperty("MatchType").GetString(),
                        Value = r.GetProperty("Value").GetString(),
                        RoleARN = r.GetProperty("RoleARN").GetString(),
                    })],
                }
                : null,
        }, StringComparer.Ordinal);

    /// <summary>Epoch seconds (as the AWS CLI sends timestamps) or an ISO 8601 string.</summary>
    private static DateTimeOffset? Time(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
        : DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static byte[] WriteRules(IReadOnlyList<ExpressionRule> rules)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("ExpressionRules");
            foreach (var rule in rules)
            {
                w.WriteStartObject();
                w.WriteString("Condition", rule.Condition);
                w.WriteString("Role", rule.Role);
                if (rule.Tags is { } tags)
                {
                    w.WriteStartObject("Tags");
                    foreach (var (key, value) in tags)
                    {
                        w.WriteString(key, value);
                    }

                    w.WriteEndObject();
                }

                if (rule.SessionPolicy is { } policy)
                {
                    w.WriteString("SessionPolicy", policy);
                }

                if (rule.DurationSeconds is { } duration)
                {
                    w.WriteNumber("DurationSeconds", duration);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static byte[] WriteReplay(ReplayResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("Replayed", result.Replayed);
            w.WriteNumber("Skipped", result.Skipped);
            w.WriteBoolean("Truncated", result.Truncated);
            w.WriteStartArray("Changed");
            foreach (var change in result.Changed)
            {
                w.WriteStartObject();
                w.WriteString("EventId", change.EventId);
                w.WriteString("EventTime", change.EventTime);
                w.WriteString("IdentityId", change.IdentityId);
                w.WriteStartArray("Changes");
                foreach (var what in change.Changes)
                {
                    w.WriteStringValue(what);
                }

                w.WriteEndArray();
                Outcome(w, "Recorded", change.Recorded);
                Outcome(w, "Proposed", change.Proposed);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void Outcome(Utf8JsonWriter w, string name, ReplayOutcome outcome)
    {
        w.WriteStartObject(name);
        w.WriteBoolean("Allowed", outcome.Allowed);
        w.WriteString("RoleArn", outcome.RoleArn);
        w.WriteString("ChosenBy", outcome.ChosenBy);
        if (outcome.ExpressionRuleIndex is { } index)
        {
            w.WriteNumber("ExpressionRuleIndex", index);
        }

        w.WriteStartObject("SessionTags");
        foreach (var (key, value) in outcome.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static AwsError Invalid(string message) => CognitoErrors.InvalidParameter(message);
}
