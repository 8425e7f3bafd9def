using System.Text.Json;
using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// An identity's logins as kept in its hash: a JSON array of <c>[provider, subject]</c> pairs, in link order.
/// The delete script decodes it with Lua's cjson to free the logins; the link script compares it as a version.
/// </summary>
internal static class LoginsCodec
{
    public static string Encode(IEnumerable<LoginKey> logins)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var login in logins)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(login.Provider);
                writer.WriteStringValue(login.Subject);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static List<LoginKey> Decode(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(pair => new LoginKey(pair[0].GetString()!, pair[1].GetString()!))
            .ToList();
    }
}
