using System.Text.Json;
using IdentityBroker.Errors;

namespace IdentityBroker.Policies;

/// <summary>
/// Parses IAM JSON policy documents (IAM User Guide, "IAM JSON policy element reference") into <see cref="PolicyDocument"/>.
/// Element names are case-sensitive as in IAM; every failure is a MalformedPolicyDocument with IAM's message.
/// </summary>
public static class PolicyParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    public static Result<PolicyDocument> Parse(string text, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text, Options);
        }
        catch (JsonException)
        {
            return PolicyErrors.Syntax();
        }

        using (json)
        {
            return ParseRoot(json.RootElement, kind);
        }
    }

    private static Result<PolicyDocument> ParseRoot(JsonElement root, PolicyKind kind)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return PolicyErrors.Syntax();
        }

        var version = PolicyDocument.LegacyVersion;
        JsonElement? statement = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "Version":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return PolicyErrors.Syntax();
                    }

                    version = property.Value.GetString()!;
                    break;
                case "Id":
                    break;
                case "Statement":
                    statement = property.Value;
                    break;
                default:
                    return PolicyErrors.Syntax();
            }
        }

        if (version is not (PolicyDocument.CurrentVersion or PolicyDocument.LegacyVersion))
        {
            return PolicyErrors.LegacyParsing();
        }

        if (statement is null)
        {
            return PolicyErrors.MissingField("Statement");
        }

        return ParseStatements(statement.Value, version, kind);
    }

    private static Result<PolicyDocument> ParseStatements(JsonElement element, string version, PolicyKind kind)
    {
        var elements = element.ValueKind switch
        {
            JsonValueKind.Object => [element],
            JsonValueKind.Array => element.EnumerateArray().ToList(),
            _ => null,
        };
        if (elements is null || elements.Count == 0)
        {
            return PolicyErrors.Syntax();
        }

        var statements = new List<PolicyStatement>(elements.Count);
        var sids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in elements)
        {
            var parsed = StatementParser.Parse(item, statements.Count, kind);
            if (!parsed.IsSuccess)
            {
                return parsed.Error!;
            }

            if (parsed.Value.Sid is { Length: > 0 } sid && !sids.Add(sid))
            {
                return PolicyErrors.Malformed("Statement IDs (SID) in a single policy must be unique.");
            }

            statements.Add(parsed.Value);
        }

        return new PolicyDocument(version, statements);
    }
}
