using System.Text.Json;
using System.Text.RegularExpressions;

namespace IdentityBroker.Tests.Validation;

/// <summary>
/// Read access to the facts of an AWS service model (operations, shapes, constraints; no prose), kept in the repository
/// under <c>Validation/ModelFacts</c> and copied beside the test assembly. <c>tools/model-facts/extract.mjs</c> writes
/// them from botocore's <c>service-2.json</c> files; see its README.
/// </summary>
internal sealed class ServiceModel
{
    private readonly JsonElement _operations;
    private readonly JsonElement _shapes;

    private ServiceModel(JsonElement root)
    {
        _operations = root.GetProperty("operations");
        _shapes = root.GetProperty("shapes");
    }

    public static ServiceModel Cognito { get; } = Load("cognito-identity.json");

    public static ServiceModel Sync { get; } = Load("cognito-sync.json");

    public string InputShapeOf(string operation) =>
        _operations.GetProperty(operation).GetProperty("input").GetProperty("shape").GetString()!;

    public ModelShape Shape(string name) => new(name, _shapes.GetProperty(name));

    private static ServiceModel Load(string fileName)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "ModelFacts", fileName);
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return new ServiceModel(document.RootElement.Clone());
    }
}

/// <summary>One shape of the model with the traits the front end enforces.</summary>
public sealed record ModelShape(string Name, JsonElement Json)
{
    public string Type => Json.GetProperty("type").GetString()!;

    public int? Min => Json.TryGetProperty("min", out var v) ? checked((int)v.GetInt64()) : null;

    public int? Max => Json.TryGetProperty("max", out var v) ? checked((int)v.GetInt64()) : null;

    public string? Pattern => Json.TryGetProperty("pattern", out var v) ? v.GetString() : null;

    public IReadOnlyList<string>? Enum => Json.TryGetProperty("enum", out var v) ? [.. v.EnumerateArray().Select(e => e.GetString()!)] : null;

    public bool Sensitive => Json.TryGetProperty("sensitive", out var v) && v.GetBoolean();

    public string? MemberShape => Json.TryGetProperty("member", out var v) ? v.GetProperty("shape").GetString() : null;

    public string? KeyShape => Json.TryGetProperty("key", out var v) ? v.GetProperty("shape").GetString() : null;

    public string? ValueShape => Json.TryGetProperty("value", out var v) ? v.GetProperty("shape").GetString() : null;

    public IEnumerable<(string Name, string Shape, bool Required)> Members
    {
        get
        {
            var required = Json.TryGetProperty("required", out var r)
                ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            return Json.GetProperty("members").EnumerateObject()
                .Select(m => (m.Name, m.Value.GetProperty("shape").GetString()!, required.Contains(m.Name)))
                .ToList();
        }
    }

    public bool IsPlainString => Type == "string" && Enum is null;

    /// <summary>The constraint sentences of this string shape, in the order AWS lists them: max, min, pattern.</summary>
    public string Bracket()
    {
        var parts = new List<string>();
        if (Max is { } max)
        {
            parts.Add($"Member must have length less than or equal to {max}");
        }

        if (Min is { } min)
        {
            parts.Add($"Member must have length greater than or equal to {min}");
        }

        if (Pattern is { } pattern)
        {
            parts.Add($"Member must satisfy regular expression pattern: {pattern}");
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>
    /// An oracle independent of the production translation: .NET's ECMAScript mode gives <c>\w \s \d</c> the same
    /// ASCII meaning as Java's defaults; patterns with <c>\p{…}</c> use the default mode (same categories, checked on
    /// BMP characters only, as .NET sees UTF-16 code units). A match must cover the whole value, as Java's matches() does.
    /// </summary>
    public bool JavaMatches(string value)
    {
        var unicode = Pattern!.Contains(@"\p{", StringComparison.Ordinal);
        var regex = new Regex("^(?:" + Pattern + ")", unicode ? RegexOptions.CultureInvariant : RegexOptions.ECMAScript);
        var match = regex.Match(value);
        return match.Success && match.Length == value.Length;
    }
}
