using System.Text;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Mapping;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// The simulator's JSON, shared by <c>POST /admin/api/simulate</c> and the <c>simulate</c> command.
/// Request: <c>{"IdentityPoolId": "...", "Logins": {"key": "token"}, "Claims": {"key": {"claim": "v" | ["v", ...]}},
/// "CustomRoleArn": "...", "IdentityId": "...", "Actions": [{"Action": "s3:GetObject", "Resource": "arn:..."}]}</c>.
/// </summary>
internal static class SimulationJson
{
    private const int MaxActions = 100;

    public static Result<SimulationRequest> ReadRequest(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            return Read(json.RootElement);
        }
        catch (JsonException)
        {
            return Invalid("The request body is not valid JSON.");
        }
    }

    /// <summary>
    /// A claims document: <c>{"&lt;Logins key&gt;": {"claim": "value" | ["v1", "v2"] | 42 | true | {…}}}</c>. Each login's claims
    /// are read as a validated token's payload is (<see cref="MappingLogin.FromClaimsJson"/>): AWS Rules see strings, and
    /// expression rules see the JSON as given, so a one-element array stays an array.
    /// </summary>
    public static Result<SimulatedClaims> ReadClaims(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Invalid("Claims must be an object keyed by Logins key.");
        }

        var claims = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        var payloads = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var provider in element.EnumerateObject())
        {
            if (provider.Value.ValueKind != JsonValueKind.Object)
            {
                return Invalid($"The claims of '{provider.Name}' must be an object.");
            }

            var login = MappingLogin.FromClaimsJson(provider.Name, Encoding.UTF8.GetBytes(provider.Value.GetRawText()));
            claims[provider.Name] = login.Claims;
            payloads[provider.Name] = login.Payload!;
        }

        return new SimulatedClaims(claims, payloads);
    }

    /// <summary>A simulation request for <paramref name="poolId"/> with these claims and no logins.</summary>
    public static SimulationRequest WithClaims(string poolId, SimulatedClaims claims, string? customRoleArn, string? identityId, IReadOnlyList<SimulatedAction> actions)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return new SimulationRequest(poolId, null, claims.Claims, customRoleArn, identityId, actions) { ClaimPayloads = claims.Payloads };
    }

    private static Result<SimulationRequest> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || String(root, "IdentityPoolId") is not { Length: > 0 } poolId)
        {
            return Invalid("IdentityPoolId is required.");
        }

        SimulatedClaims? claims = null;
        if (root.TryGetProperty("Claims", out var claimsElement))
        {
            var read = ReadClaims(claimsElement);
            if (!read.IsSuccess)
            {
                return read.Error!;
            }

            claims = read.Value;
        }

        var logins = root.TryGetProperty("Logins", out var l) && l.ValueKind == JsonValueKind.Object
            ? l.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : null;
        if (logins is { Count: > 0 } && claims is { Claims.Count: > 0 })
        {
            return Invalid("Give either Logins or Claims, not both.");
        }

        var actions = ReadActions(root);
        if (!actions.IsSuccess)
        {
            return actions.Error!;
        }

        return claims is null
            ? new SimulationRequest(poolId, logins, null, String(root, "CustomRoleArn"), String(root, "IdentityId"), actions.Value)
            : WithClaims(poolId, claims, String(root, "CustomRoleArn"), String(root, "IdentityId"), actions.Value) with { Logins = logins };
    }

    private static Result<IReadOnlyList<SimulatedAction>> ReadActions(JsonElement root)
    {
        if (!root.TryGetProperty("Actions", out var element))
        {
            return Result<IReadOnlyList<SimulatedAction>>.Ok([]);
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > MaxActions)
        {
            return Invalid($"Actions must be an array of at most {MaxActions} {{Action, Resource}} objects.");
        }

        var actions = new List<SimulatedAction>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || String(item, "Action") is not { Length: > 0 } action || String(item, "Resource") is not { Length: > 0 } resource)
            {
                return Invalid("Each entry of Actions needs a non-empty Action and Resource.");
            }

            actions.Add(new SimulatedAction(action, resource));
        }

        return actions;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static AwsError Invalid(string message) => new("InvalidParameterException", message);

    public static byte[] WriteResult(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, ReplyJson.IndentedWriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("IdentityPoolId", result.IdentityPoolId);
            w.WriteBoolean("Authenticated", result.Authenticated);
            WriteRole(w, result.Role);
            WriteMap(w, "SessionTags", result.SessionTags);
            DecisionJson.Write(w, "Decision", result.Decision);
            WriteList(w, "SkippedTags", result.SkippedTags);
            if (result.TrustProblem is { } problem)
            {
                w.WriteString("TrustProblem", problem);
            }

            w.WriteStartArray("EffectivePolicies");
            foreach (var policy in result.Policies)
            {
                w.WriteStartObject();
                w.WriteString("Name", policy.Name);
                w.WritePropertyName("Document");
                using var doc = JsonDocument.Parse(policy.Document);
                doc.RootElement.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteDecisions(w, result.Decisions);
            WriteList(w, "Notes", result.Notes);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static byte[] WriteError(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return ReplyJson.Serialize(new Dictionary<string, string> { ["__type"] = error.Type, ["message"] = error.Message }, SimulationJsonContext.Default.DictionaryStringString);
    }

    private static void WriteRole(Utf8JsonWriter w, RoleDecision role)
    {
        w.WriteStartObject("Role");
        if (role.RoleArn is { } arn)
        {
            w.WriteString("RoleArn", arn);
        }

        w.WriteString("Source", role.Source.ToString());
        if (role.MappingKey is { } key)
        {
            w.WriteString("MappingKey", key);
        }

        if (role.RuleIndex is { } index)
        {
            w.WriteNumber("RuleNumber", index + 1);
        }

        if (role.LoginProvider is { } provider)
        {
            w.WriteString("LoginProvider", provider);
        }

        w.WriteString("Reason", role.Reason);
        if (role.Error is { } error)
        {
            w.WriteStartObject("Error");
            w.WriteString("__type", error.Type);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteDecisions(Utf8JsonWriter w, IReadOnlyList<SimulatedDecision> decisions)
    {
        w.WriteStartArray("Decisions");
        foreach (var d in decisions)
        {
            w.WriteStartObject();
            w.WriteString("Action", d.Action);
            w.WriteString("Resource", d.Resource);
            w.WriteString("Decision", d.Decision);
            if (d.DecidedBy is { } by)
            {
                w.WriteString("DecidedBy", by);
            }

            w.WriteString("Explanation", d.Explanation);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}

/// <summary>Claims by Logins key, as AWS Rules read them, and the documents as given, as expression rules read them.</summary>
internal sealed record SimulatedClaims(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Claims,
    IReadOnlyDictionary<string, byte[]> Payloads);

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SimulationJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
