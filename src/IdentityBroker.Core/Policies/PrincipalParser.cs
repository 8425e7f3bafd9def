using System.Text.Json;
using IdentityBroker.Errors;

namespace IdentityBroker.Policies;

/// <summary>Parses Principal/NotPrincipal: <c>"*"</c> or <c>{"AWS"|"Federated"|"Service"|"CanonicalUser": string or array}</c>.</summary>
internal static class PrincipalParser
{
    private static readonly string[] Types = ["AWS", "Federated", "Service", "CanonicalUser"];

    public static Result<PrincipalSpec?> Parse(JsonElement element, bool negated)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PrincipalSpec(negated, true, new Dictionary<string, IReadOnlyList<string>>())
                : PolicyErrors.Malformed($"Invalid principal in policy: \"{element.GetString()}\"");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return PolicyErrors.Syntax();
        }

        var byType = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!Types.Contains(property.Name))
            {
                return PolicyErrors.Malformed($"Invalid principal in policy: \"{property.Name}\"");
            }

            var values = StatementParser.ReadStrings(property.Value);
            if (values is null || values.Count == 0)
            {
                return PolicyErrors.Syntax();
            }

            foreach (var value in values)
            {
                if (!IsValid(property.Name, value))
                {
                    return PolicyErrors.Malformed($"Invalid principal in policy: \"{property.Name}\":\"{value}\"");
                }
            }

            byType[property.Name] = values;
        }

        if (byType.Count == 0)
        {
            return PolicyErrors.Syntax();
        }

        return new PrincipalSpec(negated, false, byType);
    }

    private static bool IsValid(string type, string value) => type switch
    {
        // An AWS principal is "*", a 12-digit account id or an ARN.
        "AWS" => value == "*" || (value.Length == 12 && value.All(char.IsAsciiDigit)) || value.StartsWith("arn:", StringComparison.Ordinal),
        _ => value.Length > 0 && !value.Any(char.IsWhiteSpace),
    };
}
