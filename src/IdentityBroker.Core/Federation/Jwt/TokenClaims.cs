using System.Text.Json;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// A JWT payload as strings for role mapping and principal tags: strings as they are, arrays as several values, numbers
/// and booleans as their JSON text, nested objects (and arrays inside arrays) as raw JSON; null claims are left out.
/// </summary>
internal static class TokenClaims
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Flatten(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var claims = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var values = new List<string>();
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                values.AddRange(property.Value.EnumerateArray().Select(Text).OfType<string>());
            }
            else if (Text(property.Value) is { } text)
            {
                values.Add(text);
            }

            claims[property.Name] = values;
        }

        return claims;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
