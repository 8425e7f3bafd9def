using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Cel;
using IdentityBroker.Policies;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// Compiles and checks expression rules with the <c>Cel</c> package (parse and evaluation) and <see cref="ExpressionChecker"/>
/// (types and cost): every message names the rule (1-based), the field and the position in the expression. One shared
/// environment: the package's <c>matches</c> is replaced by a linear-time one (.NET's non-backtracking engine), as RE2 is
/// in CEL's reference implementation, so an attacker-chosen claim cannot make a rule's regex backtrack.
/// </summary>
public static partial class ExpressionRuleCompiler
{
    private static readonly Lock Gate = new();
    private static readonly CelEnvironment Environment = CreateEnvironment();
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <returns>The compiled set, or the problems (empty set and problems never both).</returns>
    public static (CompiledRuleSet? Set, IReadOnlyList<string> Problems) Compile(IReadOnlyList<ExpressionRule>? rules)
    {
        if (rules is not { Count: > 0 })
        {
            return (CompiledRuleSet.Empty, []);
        }

        var problems = new List<string>();
        if (rules.Count > ExpressionLimits.MaxRules)
        {
            return (null, [$"A pool has at most {ExpressionLimits.MaxRules} expression rules, not {rules.Count}."]);
        }

        var compiled = new List<CompiledRule>();
        long total = 0;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = CompileRule(i, rules[i], problems, out var cost);
            total += cost;
            if (rule is not null)
            {
                compiled.Add(rule);
            }
        }

        if (problems.Count == 0 && total > ExpressionLimits.RuleSetBudget)
        {
            problems.Add($"The rules' worst-case cost together is {total}, over the rule set's budget of {ExpressionLimits.RuleSetBudget}.");
        }

        return problems.Count == 0 ? (new CompiledRuleSet(compiled, null), []) : (null, problems);
    }

    private static CompiledRule? CompileRule(int index, ExpressionRule rule, List<string> problems, out long cost)
    {
        var label = $"Expression rule {index + 1}";
        var before = problems.Count;
        cost = 0;
        var condition = Expression(label, "Condition", rule.Condition, ExpressionType.Bool, problems, ref cost, out var shortcut);
        CelProgramDelegate? role = null;
        if (rule.Role is not { Length: > 0 })
        {
            problems.Add($"{label}: Role is required (a role ARN, or an expression producing one).");
        }
        else if (rule.HasLiteralRole)
        {
            if (!RoleArns.IsRoleArn(rule.Role))
            {
                problems.Add($"{label}, Role: '{rule.Role}' is not a role ARN (arn:aws:iam::<account>:role/<name>).");
            }
        }
        else
        {
            role = Expression(label, "Role", rule.Role, ExpressionType.String, problems, ref cost, out _);
        }

        var tags = Tags(label, rule, problems, ref cost);
        Policy(label, rule, problems);
        if (rule.DurationSeconds is { } duration and (< ExpressionLimits.MinDuration or > ExpressionLimits.MaxDuration))
        {
            problems.Add($"{label}: DurationSeconds must be between {ExpressionLimits.MinDuration} and {ExpressionLimits.MaxDuration}, not {duration}.");
        }

        return problems.Count > before || condition is null
            ? null
            : new CompiledRule(new ExpressionRuleRef(index, rule.Condition!), rule.HasLiteralRole ? rule.Role : null, condition, shortcut, role, tags, rule.SessionPolicy, rule.DurationSeconds);
    }

    private static List<KeyValuePair<string, CelProgramDelegate>> Tags(string label, ExpressionRule rule, List<string> problems, ref long cost)
    {
        var tags = new List<KeyValuePair<string, CelProgramDelegate>>();
        if (rule.Tags is not { } declared)
        {
            return tags;
        }

        if (declared.Count > ExpressionLimits.MaxTagsPerRule)
        {
            problems.Add($"{label}: at most {ExpressionLimits.MaxTagsPerRule} Tags, not {declared.Count}.");
            return tags;
        }

        foreach (var (key, text) in declared.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!RoleArns.IsTagKey(key))
            {
                problems.Add($"{label}: '{key}' is not a session-tag key (1-{RoleArns.MaxTagKeyLength} letters, digits, spaces and _.:/=+-@).");
                continue;
            }

            if (Expression(label, $"Tags['{key}']", text, ExpressionType.String, problems, ref cost, out _) is { } program)
            {
                tags.Add(new(key, program));
            }
        }

        return tags;
    }

    private static void Policy(string label, ExpressionRule rule, List<string> problems)
    {
        if (rule.SessionPolicy is not { } policy)
        {
            return;
        }

        if (policy.Length > ExpressionLimits.MaxSessionPolicyLength)
        {
            problems.Add($"{label}: SessionPolicy is at most {ExpressionLimits.MaxSessionPolicyLength} characters, not {policy.Length}.");
            return;
        }

        var parsed = PolicyParser.Parse(policy, PolicyKind.Permission);
        if (!parsed.IsSuccess)
        {
            problems.Add($"{label}: SessionPolicy is not a valid policy: {parsed.Error!.Message}");
        }
    }

    private static CelProgramDelegate? Expression(
        string label, string field, string? text, ExpressionType wanted, List<string> problems, ref long cost, out ConditionShortcut? shortcut)
    {
        shortcut = null;
        if (text is not { Length: > 0 } || string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"{label}: {field} is required.");
            return null;
        }

        if (text.Length > ExpressionLimits.MaxExpressionLength)
        {
            problems.Add($"{label}, {field}: at most {ExpressionLimits.MaxExpressionLength} characters, not {text.Length}.");
            return null;
        }

        lock (Gate)
        {
            return CheckAndCompile(label, field, text, wanted, problems, ref cost, out shortcut);
        }
    }

    private static CelProgramDelegate? CheckAndCompile(
        string label, string field, string text, ExpressionType wanted, List<string> problems, ref long cost, out ConditionShortcut? shortcut)
    {
        shortcut = null;
        Cel.Internal.CelParser.StartContext tree;
        try
        {
            tree = Environment.Parse(text);
        }
        catch (CelException e)
        {
            problems.Add($"{label}, {field}, {ParserPosition(e.Message)}");
            return null;
        }

        var (shape, found) = ExpressionChecker.Check(tree);
        if (found.Count > 0)
        {
            problems.AddRange(found.Select(p => $"{label}, {field}, {p}"));
            return null;
        }

        if (!shape.Type.Fits(wanted))
        {
            problems.Add($"{label}, {field}, line 1, column 1: the expression gives {shape.Type}; it must give {wanted}");
            return null;
        }

        if (shape.Cost > ExpressionLimits.CostBudget)
        {
            problems.Add($"{label}, {field}: its worst-case cost is {(shape.Cost == long.MaxValue / 2 ? "unbounded" : shape.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture))}, over the budget of {ExpressionLimits.CostBudget} (nested comprehensions over claims multiply; see docs/expression-rules.md).");
            return null;
        }

        cost += shape.Cost;
        try
        {
            var program = Environment.Compile(tree);
            shortcut = wanted == ExpressionType.Bool ? ConditionShortcut.For(tree, Literal) : null;
            return program;
        }
        catch (CelException e)
        {
            problems.Add($"{label}, {field}: {e.Message}");
            return null;
        }
    }

    /// <summary>The package reports "Line 1:3 message" with a 0-based column; the broker's messages say "line 1, column 4: message".</summary>
    private static string ParserPosition(string message)
    {
        var first = message.Split('\n')[0].Trim();
        return ParserMessage().Match(first) is { Success: true } m
            ? $"line {m.Groups[1].Value}, column {int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 1}: {m.Groups[3].Value}"
            : $"line 1, column 1: {first}";
    }

    /// <summary>A string literal's value as the package reads it (escapes and all), so the shortcut compares what the package would.</summary>
    private static string? Literal(string literal)
    {
        try
        {
            return Environment.Program(literal, new Dictionary<string, object?>(StringComparer.Ordinal)) as string;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static CelEnvironment CreateEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        environment.RegisterFunction("matches", [typeof(string), typeof(string)], args => Pattern((string)args[1]!).IsMatch((string)args[0]!));
        return environment;
    }

    private static Regex Pattern(string pattern)
    {
        if (Patterns.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        if (Patterns.Count < 4096)
        {
            Patterns[pattern] = regex;
        }

        return regex;
    }

    [GeneratedRegex(@"\ALine (\d+):(\d+) (.*)\z")]
    private static partial Regex ParserMessage();
}
