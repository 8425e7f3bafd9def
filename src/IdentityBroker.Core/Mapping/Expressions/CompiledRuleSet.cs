using Cel;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>One rule compiled: its condition, its role (null for a literal ARN) and its tag expressions.</summary>
internal sealed record CompiledRule(
    ExpressionRuleRef Ref,
    string? LiteralRole,
    CelProgramDelegate Condition,
    ConditionShortcut? Shortcut,
    CelProgramDelegate? Role,
    IReadOnlyList<KeyValuePair<string, CelProgramDelegate>> Tags,
    string? SessionPolicy,
    int? DurationSeconds);

/// <summary>
/// A pool's expression rules, compiled once per pool version (<see cref="ExpressionRuleSets"/>). Evaluation: the logins in
/// ordinal order of their Logins key (as RoleResolver takes them), each rule in order against each login; the first rule
/// whose condition is true wins. An error while evaluating (a missing claim read without <c>has()</c>, a non-bool
/// condition, a role that is not a role ARN, a tag that is not a string) fails the request with its reason.
/// </summary>
public sealed class CompiledRuleSet
{
    public static readonly CompiledRuleSet Empty = new([], null);

    private readonly IReadOnlyList<CompiledRule> _rules;
    private readonly string? _broken;

    internal CompiledRuleSet(IReadOnlyList<CompiledRule> rules, string? broken)
    {
        _rules = rules;
        _broken = broken;
    }

    public int Count => _rules.Count;

    internal IReadOnlyList<CompiledRule> Rules => _rules;

    /// <summary>No rules to evaluate (a set that no longer compiles is not empty: it fails every request).</summary>
    public bool IsEmpty => _rules.Count == 0 && _broken is null;

    public ExpressionOutcome Evaluate(ExpressionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_broken is not null)
        {
            return ExpressionOutcome.Failure(null, null, $"the pool's expression rules no longer compile: {_broken}");
        }

        if (_rules.Count == 0 || input.Logins.Count == 0)
        {
            return ExpressionOutcome.NoMatch;
        }

        var logins = new List<LoginValues>(input.Logins.Count);
        foreach (var login in input.Logins.OrderBy(l => l.Provider, StringComparer.Ordinal))
        {
            if (ExpressionValues.Claims(login.ClaimsJson, out var problem) is not { } claims)
            {
                return ExpressionOutcome.Failure(null, login.Provider, $"the claims of {login.Provider} exceed the limits of expression rules: {problem}");
            }

            logins.Add(new LoginValues(input, login.Provider, claims));
        }

        foreach (var rule in _rules)
        {
            foreach (var login in logins)
            {
                var outcome = Try(rule, login);
                if (outcome is not null)
                {
                    return outcome;
                }
            }
        }

        return ExpressionOutcome.NoMatch;
    }

    /// <returns>Null when the rule does not match this login; else the match or the failure.</returns>
    private static ExpressionOutcome? Try(CompiledRule rule, LoginValues login)
    {
        switch (rule.Shortcut?.Decide(login.Claims, login.Provider))
        {
            case false:
                return null;
            case null:
                var condition = Run(rule.Condition, login.Variables, out var conditionError);
                if (conditionError is not null)
                {
                    return Fail(rule, login.Provider, $"its Condition failed: {conditionError}");
                }

                if (condition is not bool matched)
                {
                    return Fail(rule, login.Provider, $"its Condition gave {ExpressionValues.Describe(condition)}, not a bool");
                }

                if (!matched)
                {
                    return null;
                }

                break;
        }

        return Grant(rule, login);
    }

    private static ExpressionOutcome Grant(CompiledRule rule, LoginValues login)
    {
        string? error = null;
        var role = rule.LiteralRole ?? Run(rule.Role!, login.Variables, out error) as string;
        if (error is not null || role is null || !RoleArns.IsRoleArn(role))
        {
            return Fail(rule, login.Provider, error is not null ? $"its Role failed: {error}" : $"its Role gave {ExpressionValues.Describe(role)}, which is not a role ARN");
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, program) in rule.Tags)
        {
            var value = Run(program, login.Variables, out error);
            if (error is not null || value is not string text || text.Length > RoleArns.MaxTagValueLength)
            {
                return Fail(rule, login.Provider, error is not null
                    ? $"its tag '{key}' failed: {error}"
                    : $"its tag '{key}' gave {ExpressionValues.Describe(value)}, not a string of at most {RoleArns.MaxTagValueLength} characters");
            }

            tags[key] = text;
        }

        return ExpressionOutcome.Matched(new ExpressionMatch(rule.Ref, login.Provider, role, tags, rule.SessionPolicy, rule.DurationSeconds));
    }

    private static ExpressionOutcome Fail(CompiledRule rule, string provider, string why) =>
        ExpressionOutcome.Failure(rule.Ref, provider, $"expression rule {rule.Ref.Index + 1} ({provider}): {why}");

    /// <summary>
    /// One login's values, converted once per evaluation and shared by every rule: the claims map (which the shortcuts
    /// read), and the package's variables, built only when a rule needs the package.
    /// </summary>
    private sealed class LoginValues(ExpressionInput input, string provider, Dictionary<string, object?> claims)
    {
        private Dictionary<string, object?>? _variables;

        public string Provider => provider;

        public Dictionary<string, object?> Claims => claims;

        public Dictionary<string, object?> Variables => _variables ??= new(StringComparer.Ordinal)
        {
            ["claims"] = claims,
            ["provider"] = provider,
            ["identity"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = input.IdentityId,
                ["created"] = input.IdentityCreated,
                ["logins"] = input.IdentityLogins.Select(l => (object?)l).ToList(),
            },
            ["request"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["sourceIp"] = input.Request.SourceIp,
                ["userAgent"] = input.Request.UserAgent,
            },
            ["now"] = input.Now,
        };
    }

    /// <summary>Any exception from an expression is the expression's error (CEL's error value): the request is denied with it.</summary>
    private static object? Run(CelProgramDelegate program, Dictionary<string, object?> variables, out string? error)
    {
        error = null;
        try
        {
            return program(variables);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e.Message;
            return null;
        }
    }
}
