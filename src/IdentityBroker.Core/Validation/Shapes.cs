using System.Text.RegularExpressions;

namespace IdentityBroker.Validation;

/// <summary>
/// A string shape of the service model: its length bounds and pattern, with the constraint sentences the AWS front end
/// prints for them, built once. Observed order inside a bracketed list is max, min, pattern (aws-cdk #31795:
/// <c>[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\w.;_/-]+]</c>).
/// </summary>
internal sealed class StringShape
{
    private readonly Func<string, bool>? _matches;

    public StringShape(int? min, int? max, string? javaPattern = null, Regex? regex = null, Func<string, bool>? matcher = null,
        bool sensitive = false)
    {
        Min = min;
        Max = max;
        JavaPattern = javaPattern;
        _matches = matcher ?? (regex is null ? null : regex.IsMatch);
        if ((javaPattern is null) != (_matches is null))
        {
            throw new ArgumentException("A pattern needs both its model text and a matcher.", nameof(javaPattern));
        }

        Sensitive = sensitive;
        MaxText = max is { } mx ? Constraint.LengthAtMost(mx) : null;
        MinText = min is { } mn ? Constraint.LengthAtLeast(mn) : null;
        PatternText = javaPattern is null ? null : Constraint.Pattern(javaPattern);
        AllConstraints = Constraint.Bracket(MaxText, MinText, PatternText);
    }

    public int? Min { get; }

    public int? Max { get; }

    /// <summary>The pattern exactly as the model spells it (and as AWS prints it).</summary>
    public string? JavaPattern { get; }

    /// <summary>Model <c>sensitive</c> trait: AWS leaves such values out of its messages.</summary>
    public bool Sensitive { get; }

    public string? MaxText { get; }

    public string? MinText { get; }

    public string? PatternText { get; }

    /// <summary><c>[c1, c2, …]</c>, as printed for map keys, map values and list members.</summary>
    public string AllConstraints { get; }

    public bool IsTooLong(string value) => Max is { } max && value.Length > max;

    public bool IsTooShort(string value) => Min is { } min && value.Length < min;

    public bool FailsPattern(string value) => _matches is not null && !_matches(value);

    public bool Accepts(string value) => !IsTooLong(value) && !IsTooShort(value) && !FailsPattern(value);
}

/// <summary>An integer shape (<c>min</c>/<c>max</c> are values, not lengths).</summary>
internal sealed class IntegerShape(int min, int max)
{
    public int Min { get; } = min;

    public int Max { get; } = max;

    public string MinText { get; } = $"Member must have value greater than or equal to {min}";

    public string MaxText { get; } = $"Member must have value less than or equal to {max}";
}

/// <summary>An enum shape: AWS compares case-sensitively and prints the set in model order.</summary>
internal sealed class EnumShape(params string[] values)
{
    private readonly string[] _values = values;

    public string Text { get; } = $"Member must satisfy enum value set: [{string.Join(", ", values)}]";

    public bool Contains(string value) => Array.IndexOf(_values, value) >= 0;
}

/// <summary>
/// Item-count bounds of a list or map. AWS words a collection's size with the same sentence as a string's length
/// ("Member must have length less than or equal to 10").
/// </summary>
internal sealed class CountShape(int? min, int? max)
{
    public int? Min { get; } = min;

    public int? Max { get; } = max;

    public string? MinText { get; } = min is { } mn ? Constraint.LengthAtLeast(mn) : null;

    public string? MaxText { get; } = max is { } mx ? Constraint.LengthAtMost(mx) : null;
}

/// <summary>The constraint sentences of the AWS front end.</summary>
internal static class Constraint
{
    public const string NotNull = "Member must not be null";

    public static string LengthAtMost(int max) => $"Member must have length less than or equal to {max}";

    public static string LengthAtLeast(int min) => $"Member must have length greater than or equal to {min}";

    public static string Pattern(string javaPattern) => $"Member must satisfy regular expression pattern: {javaPattern}";

    /// <summary>Map keys: <c>Map keys must satisfy constraint: [Member must satisfy regular expression pattern: (un)?authenticated]</c> (terraform-provider-aws / hashicorp/terraform #20076).</summary>
    public static string MapKeys(string bracket) => $"Map keys must satisfy constraint: {bracket}";

    /// <summary>Map values: <c>Map value must satisfy constraint: [Member must have length less than or equal to 50000, …]</c> (amplify-js #7845, aws-sdk-cpp #1085).</summary>
    public static string MapValues(string bracket) => $"Map value must satisfy constraint: {bracket}";

    /// <summary>List members: <c>Member must satisfy constraint: [Member must satisfy enum value set: …]</c> (serverless-express #59).</summary>
    public static string ListMembers(string bracket) => $"Member must satisfy constraint: {bracket}";

    public static string Bracket(params string?[] constraints) =>
        "[" + string.Join(", ", constraints.Where(c => c is not null)) + "]";
}
