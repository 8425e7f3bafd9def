using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// JSON written as AWS writes it: <c>+ / &lt; &gt; &amp; '</c> and non-ASCII letters as themselves, not as
/// <c>\u002B</c>-style escapes (a SecretKey with <c>+</c> reads <c>+</c> to a curl user). The default encoder escapes
/// them for the day JSON is pasted into HTML; replies here are <c>application/x-amz-json-1.1</c> or
/// <c>application/json</c>, which browsers never sniff as HTML or script. What JSON requires is still escaped: quote,
/// backslash and every control character (RFC 8259 §7); the encoder also escapes U+2028/U+2029 and characters outside
/// the Basic Multilingual Plane (as surrogate-pair escapes, which every JSON reader decodes to the same text).
/// </summary>
public static class ReplyJson
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };

    public static JsonWriterOptions IndentedWriterOptions { get; } = new() { Encoder = Encoder, Indented = true };

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriterOptions : WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
