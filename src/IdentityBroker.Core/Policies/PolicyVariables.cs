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
        if (!enabled || !template.Contains("${", StringComparison.Ordinal))
        {
            return template;
        }

        var builder = new StringBuilder(template.Length + 16);
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : template.IndexOf('}', start + 2);
            if (end < 0)
            {
                builder.Append(template.AsSpan(i));
                break;
            }

            builder.Append(template.AsSpan(i, start - i));
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
