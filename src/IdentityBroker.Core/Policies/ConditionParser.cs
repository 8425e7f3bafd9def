using System.Text.Json;
using IdentityBroker.Errors;

namespace IdentityBroker.Policies;

/// <summary>Parses a Condition block <c>{ "Operator": { "key": value or [values] } }</c>.</summary>
internal static class ConditionParser
{
    public static Result<IReadOnlyList<ConditionClause>> Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return PolicyErrors.Syntax();
        }

        var clauses = new List<ConditionClause>();
        foreach (var block in element.EnumerateObject())
        {
            var op = ParseOperator(block.Name);
            if (op is null)
            {
                return PolicyErrors.Malformed($"Invalid Condition type : {block.Name}.");
            }

            if (block.Value.ValueKind != JsonValueKind.Object)
            {
                return PolicyErrors.Syntax();
            }

            foreach (var entry in block.Value.EnumerateObject())
            {
                var values = ReadValues(entry.Value);
                if (values is null || entry.Name.Length == 0)
                {
                    return PolicyErrors.Syntax();
                }

                var (qualifier, baseOperator, ifExists) = op.Value;
                clauses.Add(new ConditionClause(block.Name, qualifier, baseOperator, ifExists, entry.Name, values));
            }
        }

        return clauses;
    }

    private static (SetQualifier Qualifier, string BaseOperator, bool IfExists)? ParseOperator(string name)
    {
        var qualifier = SetQualifier.None;
        var rest = name;
        if (rest.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }

        var ifExists = rest.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            rest = rest[..^"IfExists".Length];
        }

        // IAM: the Null operator takes neither a set qualifier nor IfExists.
        if (!ConditionOperators.IsKnown(rest) || (rest == "Null" && (ifExists || qualifier != SetQualifier.None)))
        {
            return null;
        }

        return (qualifier, rest, ifExists);
    }

    /// <summary>A condition value is a string, number or boolean, or an array of them.</summary>
    private static List<string>? ReadValues(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return Scalar(element) is { } single ? [single] : null;
        }

        var values = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (Scalar(item) is not { } value)
            {
                return null;
            }

            values.Add(value);
        }

        return values.Count == 0 ? null : values;
    }

    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
