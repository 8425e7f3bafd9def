using System.Text;

namespace IdentityBroker.Policies;

/// <summary>
/// Policy variables (IAM User Guide, "IAM policy elements: Variables and tags"): <c>${key}</c> takes the single value of a
/// request-context key; <c>${*}</c>, <c>${?}</c>, <c>${$}</c> are the literal characters; <c>${key, 'default'}</c> has a
/// default. A variable that cannot be resolved makes the element it appears in not match (null here).
/// </summary>
public static class PolicyVariables
{
    /// <summary>Substitutes variables and returns a plain string (for Equals-style comparisons).</summary>
    public static string? Substitute(string template, ConditionContext context, bool enabled) =>
        Expand(template, context, enabled, asGlob: false);

    /// <summary>Substitutes variables into a wildcard pattern; substituted text is escaped so it matches literally.</summary>
    public static string? ToGlob(string template, ConditionContext context, bool enabled) =>
        Expand(template, context, enabled, asGlob: true);

    private static string? Expand(string template, ConditionContext context, bool enabled, bool asGlob)
    {
        var hasVariables = enabled && template.Contains("${", StringComparison.Ordinal);
        if (!hasVariables)
        {
            // A backslash in policy text is a literal character, not the matcher's escape.
            return asGlob ? template.Replace("\\", "\\\\", StringComparison.Ordinal) : template;
        }

        var builder = new StringBuilder(template.Length + 16);
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : template.IndexOf('}', start + 2);
            if (end < 0)
            {
                AppendLiteral(builder, template.AsSpan(i), asGlob);
                break;
            }

            AppendLiteral(builder, template.AsSpan(i, start - i), asGlob);
            var value = Resolve(template[(start + 2)..end], context);
            if (value is null)
            {
                return null;
            }

            builder.Append(asGlob ? Glob.Escape(value) : value);
            i = end + 1;
        }

        return builder.ToString();
    }

    /// <summary>Policy text keeps its wildcards; only backslashes are escaped for the matcher.</summary>
    private static void AppendLiteral(StringBuilder builder, ReadOnlySpan<char> text, bool asGlob)
    {
        foreach (var c in text)
        {
            if (asGlob && c == '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }
    }

    private static string? Resolve(string inner, ConditionContext context)
    {
        var name = inner.Trim();
        if (name is "*" or "?" or "$")
        {
            return name;
        }

        string? fallback = null;
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            var defaultPart = name[(comma + 1)..].Trim();
            if (defaultPart.Length >= 2 && defaultPart[0] == '\'' && defaultPart[^1] == '\'')
            {
                fallback = defaultPart[1..^1];
            }

            name = name[..comma].Trim();
        }

        // A multi-valued key has no single value to substitute.
        return context.Get(name) is { Count: 1 } values ? values[0] : fallback;
    }
}
