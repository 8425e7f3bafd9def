using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityBroker.Load.Mixed;

/// <summary>One request of the mixed run, before signing: where it goes and what it carries.</summary>
/// <param name="Group">The report row: the service, or <c>malformed</c>.</param>
/// <param name="Label">The operation (or the malformation), for the 5xx examples.</param>
/// <param name="SigningService">SigV4 service name; null sends the request unsigned.</param>
/// <param name="SignedBody">When set, the body the signature is made over (another than the one sent).</param>
public sealed record MixedRequest(
    string Group, string Label, HttpMethod Method, string Path, byte[] Body, Dictionary<string, string> Headers, string? SigningService, byte[]? SignedBody = null);

/// <summary>
/// One request per operation of each AWS service model the repository keeps (tests/IdentityBroker.Tests/Validation/ModelFacts):
/// the operation's required members filled from its input shape, with the run's real resources where a member names one
/// (<see cref="MixedResources.ValueFor"/>). Every operation of a model is sent, served or not, so every served one is.
/// Operations that change or delete something get well-formed ids of nothing, so the run's resources survive it.
/// </summary>
public sealed class ModelRequests
{
    private static readonly string[] Destructive =
    [
        "Delete", "Remove", "Disable", "Revoke", "Unlink", "Merge", "Forget", "GlobalSignOut", "AdminDelete", "AdminDisable",
        "AdminUserGlobalSignOut", "AdminRemove", "AdminReset", "AdminSetUserPassword", "Update", "Set", "Untag", "Detach", "Stop",
        "ChangePassword", "AdminLinkProvider", "AdminUpdate", "Put", "Deregister",
    ];

    private readonly MixedResources _resources;

    public ModelRequests(string modelDirectory, MixedResources resources)
    {
        _resources = resources;
        foreach (var service in new[] { "cognito-identity", "cognito-idp", "cognito-sync", "sts", "iam", "cloudtrail" })
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelDirectory, service + ".json")));
            var model = document.RootElement;
            var shapes = model.GetProperty("shapes");
            foreach (var operation in model.GetProperty("operations").EnumerateObject().OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                All.Add(Build(service, model.GetProperty("metadata"), shapes, operation.Name, operation.Value));
            }
        }
    }

    public List<MixedRequest> All { get; } = [];

    private MixedRequest Build(string service, JsonElement metadata, JsonElement shapes, string name, JsonElement operation)
    {
        var real = !Destructive.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
        var input = operation.TryGetProperty("input", out var i) ? i.GetProperty("shape").GetString() : null;
        var body = input is null ? new JsonObject() : (JsonObject)Fill(shapes, input, null, real, depth: 0)!;
        var signed = !(operation.TryGetProperty("authtype", out var auth) && auth.GetString() == "none");
        var protocol = metadata.GetProperty("protocol").GetString();
        var signing = signed ? metadata.GetProperty("endpointPrefix").GetString() : null;
        switch (protocol)
        {
            case "json":
                var target = metadata.GetProperty("targetPrefix").GetString() + "." + name;
                var headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = target };
                return new MixedRequest(service, name, HttpMethod.Post, "/", Encoding.UTF8.GetBytes(body.ToJsonString()), headers, signing);
            case "query":
                var form = new List<string> { "Action=" + name, "Version=" + metadata.GetProperty("apiVersion").GetString() };
                Flatten(body, string.Empty, form);
                var formHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" };
                return new MixedRequest(service, name, HttpMethod.Post, "/", Encoding.UTF8.GetBytes(string.Join('&', form)), formHeaders, signing);
            default:
                // REST-JSON (Cognito Sync): the URI's {Member} placeholders from the body.
                var http = operation.GetProperty("http");
                var path = http.GetProperty("requestUri").GetString()!;
                foreach (var (member, value) in body.ToArray())
                {
                    path = path.Replace("{" + member + "}", Uri.EscapeDataString(value?.ToString() ?? "x"), StringComparison.Ordinal);
                }

                var method = new HttpMethod(http.GetProperty("method").GetString()!);
                var json = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
                return new MixedRequest(service, name, method, path, method == HttpMethod.Get ? [] : Encoding.UTF8.GetBytes(body.ToJsonString()), json, signing);
        }
    }

    private JsonNode? Fill(JsonElement shapes, string shapeName, string? memberName, bool real, int depth)
    {
        if (memberName is not null && _resources.ValueFor(memberName, real) is { } known)
        {
            return known;
        }

        var shape = shapes.GetProperty(shapeName);
        var min = shape.TryGetProperty("min", out var m) && m.ValueKind == JsonValueKind.Number ? (long)m.GetDouble() : 0;
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                var result = new JsonObject();
                if (depth > 5 || !shape.TryGetProperty("required", out var required))
                {
                    return result;
                }

                var members = shape.GetProperty("members");
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    result[name] = Fill(shapes, members.GetProperty(name).GetProperty("shape").GetString()!, name, real, depth + 1);
                }

                return result;
            case "list":
                var list = new JsonArray();
                if (min > 0)
                {
                    list.Add(Fill(shapes, shape.GetProperty("member").GetProperty("shape").GetString()!, null, real, depth + 1));
                }

                return list;
            case "map":
                return new JsonObject();
            case "integer" or "long":
                return JsonValue.Create(Math.Max(min, 1));
            case "boolean":
                return JsonValue.Create(false);
            case "timestamp":
                return JsonValue.Create(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            case "blob":
                return JsonValue.Create("AAAA");
            case "double" or "float":
                return JsonValue.Create(1.0);
            default:
                if (shape.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
                {
                    return JsonValue.Create(values[0].GetString());
                }

                return JsonValue.Create(new string('x', (int)Math.Clamp(min, 1, 64)));
        }
    }

    /// <summary>AWS Query's flattening: <c>A.B=v</c>, lists as <c>A.member.N</c>.</summary>
    private static void Flatten(JsonNode? node, string prefix, List<string> form)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Flatten(value, prefix.Length == 0 ? name : prefix + "." + name, form);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], prefix + ".member." + (i + 1).ToString(CultureInfo.InvariantCulture), form);
                }

                break;
            case JsonValue value:
                var text = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
                form.Add(Uri.EscapeDataString(prefix) + "=" + Uri.EscapeDataString(text));
                break;
        }
    }
}
