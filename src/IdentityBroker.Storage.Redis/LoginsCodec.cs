using System.Buffers;
using System.Text.Json;
using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// An identity's logins as kept in its hash: a JSON array of <c>[provider, subject]</c> pairs, in link order.
/// The delete script decodes it with Lua's cjson to free the logins; the link script compares it as a version.
/// Both directions work on UTF-8 bytes as Redis holds them: every identity read decodes it, so no text copy of the
/// value and no document object is made on that path.
/// </summary>
internal static class LoginsCodec
{
    public static byte[] Encode(IEnumerable<LoginKey> logins)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
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

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="JsonException">The value is not an array of two-string arrays.</exception>
    public static List<LoginKey> Decode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        var logins = new List<LoginKey>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            Require(reader.TokenType == JsonTokenType.StartArray);
            Expect(ref reader, JsonTokenType.String);
            var provider = reader.GetString()!;
            Expect(ref reader, JsonTokenType.String);
            var subject = reader.GetString()!;
            Expect(ref reader, JsonTokenType.EndArray);
            logins.Add(new LoginKey(provider, subject));
        }

        return logins;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        Require(reader.Read());
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type) => Require(Next(ref reader) == type);

    private static void Require(bool condition)
    {
        if (!condition)
        {
            throw new JsonException("An identity's logins are not a JSON array of [provider, subject] pairs.");
        }
    }
}
