using System.Text;
using System.Text.Json;

namespace IdentityBroker.Audit;

/// <summary>The stores' compact form of an event's resources: <c>[{"t": type, "n": name}]</c>.</summary>
public static class AuditResourcesJson
{
    public static string Write(IReadOnlyList<AuditResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var resource in resources)
            {
                w.WriteStartObject();
                w.WriteString("t", resource.ResourceType);
                w.WriteString("n", resource.ResourceName);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static IReadOnlyList<AuditResource> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => new AuditResource(e.GetProperty("t").GetString()!, e.GetProperty("n").GetString()!))];
    }
}
