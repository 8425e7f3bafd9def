using System.Text.Json;

namespace IdentityBroker.Audit;

/// <summary>The stores' compact form of an event's resources: <c>[{"t": type, "n": name}]</c>.</summary>
public static class AuditResourcesJson
{
    public static string Write(IReadOnlyList<AuditResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Count == 0)
        {
            return "[]";
        }

        return AuditJsonText.Write(resources, static (w, list) =>
        {
            w.WriteStartArray();
            foreach (var resource in list)
            {
                w.WriteStartObject();
                w.WriteString("t", resource.ResourceType);
                w.WriteString("n", resource.ResourceName);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    public static IReadOnlyList<AuditResource> Read(string json)
    {
        if (json == "[]")
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => new AuditResource(e.GetProperty("t").GetString()!, e.GetProperty("n").GetString()!))];
    }
}
