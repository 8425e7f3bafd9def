using System.Text.Json;
using IdentityBroker.Errors;

namespace IdentityBroker.Policies;

/// <summary>Parses one element of <c>Statement</c>.</summary>
internal static class StatementParser
{
    private sealed class Elements
    {
        public string? Sid;
        public JsonElement? Effect;
        public JsonElement? Action;
        public JsonElement? NotAction;
        public JsonElement? Resource;
        public JsonElement? NotResource;
        public JsonElement? Principal;
        public JsonElement? NotPrincipal;
        public JsonElement? Condition;
    }

    public static Result<PolicyStatement> Parse(JsonElement element, int index, PolicyKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return PolicyErrors.Syntax();
        }

        var read = Read(element);
        if (!read.IsSuccess)
        {
            return read.Error!;
        }

        var e = read.Value;

        // IAM reports a principal in a permission policy before anything else in the statement.
        var principal = ParsePrincipal(e, kind);
        if (!principal.IsSuccess)
        {
            return principal.Error!;
        }

        var effect = ParseEffect(e.Effect);
        if (!effect.IsSuccess)
        {
            return effect.Error!;
        }

        var actions = ParseActions(e);
        if (!actions.IsSuccess)
        {
            return actions.Error!;
        }

        var resources = ParseResources(e, kind);
        if (!resources.IsSuccess)
        {
            return resources.Error!;
        }

        var conditions = e.Condition is { } c ? ConditionParser.Parse(c) : Result<IReadOnlyList<ConditionClause>>.Ok([]);
        if (!conditions.IsSuccess)
        {
            return conditions.Error!;
        }

        return new PolicyStatement(index, e.Sid, effect.Value, actions.Value, resources.Value, principal.Value, conditions.Value);
    }

    private static Result<Elements> Read(JsonElement element)
    {
        var e = new Elements();
        foreach (var p in element.EnumerateObject())
        {
            switch (p.Name)
            {
                case "Sid":
                    if (p.Value.ValueKind != JsonValueKind.String)
                    {
                        return PolicyErrors.Syntax();
                    }

                    e.Sid = p.Value.GetString();
                    if (!e.Sid!.All(char.IsAsciiLetterOrDigit))
                    {
                        return PolicyErrors.Malformed(
                            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
                    }

                    break;
                case "Effect": e.Effect = p.Value; break;
                case "Action": e.Action = p.Value; break;
                case "NotAction": e.NotAction = p.Value; break;
                case "Resource": e.Resource = p.Value; break;
                case "NotResource": e.NotResource = p.Value; break;
                case "Principal": e.Principal = p.Value; break;
                case "NotPrincipal": e.NotPrincipal = p.Value; break;
                case "Condition": e.Condition = p.Value; break;
                default: return PolicyErrors.Syntax();
            }
        }

        return e;
    }

    private static Result<StatementEffect> ParseEffect(JsonElement? effect)
    {
        if (effect is null)
        {
            return PolicyErrors.MissingField("Effect");
        }

        if (effect.Value.ValueKind != JsonValueKind.String)
        {
            return PolicyErrors.Syntax();
        }

        return effect.Value.GetString() switch
        {
            "Allow" => StatementEffect.Allow,
            "Deny" => StatementEffect.Deny,
            var other => PolicyErrors.Malformed($"Invalid effect: {other}"),
        };
    }

    private static Result<MatchList> ParseActions(Elements e)
    {
        if (e.Action is not null && e.NotAction is not null)
        {
            return PolicyErrors.Syntax();
        }

        var element = e.Action ?? e.NotAction;
        if (element is null)
        {
            return PolicyErrors.Malformed("Policy statement must contain actions.");
        }

        var values = ReadStrings(element.Value);
        if (values is null || values.Count == 0)
        {
            return values is null ? PolicyErrors.Syntax() : PolicyErrors.Malformed("Policy statement must contain actions.");
        }

        foreach (var action in values)
        {
            // IAM: an action is "*" or "<service prefix>:<action pattern>".
            var colon = action.IndexOf(':', StringComparison.Ordinal);
            if (action != "*" && (colon <= 0 || colon == action.Length - 1))
            {
                return PolicyErrors.Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }
        }

        return new MatchList(values, e.NotAction is not null);
    }

    private static Result<MatchList?> ParseResources(Elements e, PolicyKind kind)
    {
        if (e.Resource is not null && e.NotResource is not null)
        {
            return PolicyErrors.Syntax();
        }

        var element = e.Resource ?? e.NotResource;
        if (kind == PolicyKind.Trust)
        {
            return element is null ? Result<MatchList?>.Ok(null) : PolicyErrors.ProhibitedField(e.Resource is null ? "NotResource" : "Resource");
        }

        if (element is null)
        {
            return PolicyErrors.Malformed("Policy statement must contain resources.");
        }

        var values = ReadStrings(element.Value);
        if (values is null || values.Count == 0)
        {
            return values is null ? PolicyErrors.Syntax() : PolicyErrors.Malformed("Policy statement must contain resources.");
        }

        foreach (var resource in values)
        {
            if (resource != "*" && !resource.StartsWith("arn:", StringComparison.Ordinal))
            {
                return PolicyErrors.Malformed($"Resource {resource} must be in ARN format or \"*\".");
            }
        }

        return new MatchList(values, e.NotResource is not null);
    }

    private static Result<PrincipalSpec?> ParsePrincipal(Elements e, PolicyKind kind)
    {
        if (e.Principal is not null && e.NotPrincipal is not null)
        {
            return PolicyErrors.Syntax();
        }

        var element = e.Principal ?? e.NotPrincipal;
        if (kind == PolicyKind.Permission)
        {
            return element is null ? Result<PrincipalSpec?>.Ok(null) : PolicyErrors.PrincipalNotAllowed();
        }

        if (element is null)
        {
            return PolicyErrors.MissingField("Principal");
        }

        return PrincipalParser.Parse(element.Value, e.NotPrincipal is not null);
    }

    /// <summary>A string or an array of strings; null when the element has another shape.</summary>
    internal static List<string>? ReadStrings(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            values.Add(item.GetString()!);
        }

        return values;
    }
}
