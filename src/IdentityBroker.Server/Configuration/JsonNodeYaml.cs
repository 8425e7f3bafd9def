using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// The document's free-form members (a user pool's and an app client's settings, in the service model's shapes) as YAML:
/// mappings, sequences and scalars read by the YAML 1.2 core schema — a plain <c>true</c>, <c>8</c> or <c>null</c> is a
/// boolean, a number or null, a quoted one a string — and written so that they read back the same (a string that would read
/// as something else is quoted).
/// </summary>
internal sealed partial class JsonNodeYaml : IYamlTypeConverter
{
    /// <summary>Far deeper than any settings shape; a bound so that a hostile document cannot exhaust the stack.</summary>
    private const int MaxDepth = 32;

    public bool Accepts(Type type) => typeof(JsonNode).IsAssignableFrom(type);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var start = parser.Current!;
        var node = Read(parser, 0);
        return node is null || type.IsInstanceOfType(node)
            ? node
            : throw new YamlException(start.Start, start.End, $"Expected a {(type == typeof(JsonObject) ? "mapping" : "sequence")} here.");
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        Write(emitter, value as JsonNode);
    }

    private static JsonNode? Read(IParser parser, int depth)
    {
        var current = parser.Current!;
        if (depth > MaxDepth)
        {
            throw new YamlException(current.Start, current.End, $"Settings are nested deeper than {MaxDepth} levels.");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return Scalar(scalar);
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            var map = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                if (map.ContainsKey(key.Value))
                {
                    throw new YamlException(key.Start, key.End, $"Duplicate key '{key.Value}'.");
                }

                map[key.Value] = Read(parser, depth + 1);
            }

            return map;
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var list = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                list.Add(Read(parser, depth + 1));
            }

            return list;
        }

        throw new YamlException(current.Start, current.End, "Anchors and aliases are not read in a configuration document.");
    }

    /// <summary>YAML 1.2 core schema (section 10.3.2) for plain scalars; anything quoted or tagged <c>!!str</c> is a string.</summary>
    private static JsonValue? Scalar(Scalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str"))
        {
            return JsonValue.Create(scalar.Value);
        }

        var text = scalar.Value;
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
            _ when Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) => JsonValue.Create(real),
            _ => JsonValue.Create(text),
        };
    }

    private static void Write(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Any));
                foreach (var (key, value) in map)
                {
                    emitter.Emit(Text(key));
                    Write(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Any));
                foreach (var item in list)
                {
                    Write(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                emitter.Emit(Text(value.GetValue<string>()));
                break;
            case null:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, node.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    /// <summary>A string: plain where it reads back as that string, double-quoted where plain would read as null, a boolean or a number.</summary>
    private static Scalar Text(string text)
    {
        var plain = Scalar(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));
        var readsBack = plain is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        return new Scalar(AnchorName.Empty, TagName.Empty, text, readsBack ? ScalarStyle.Any : ScalarStyle.DoubleQuoted, true, true);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
