namespace IdentityBroker.Mapping.Expressions;

/// <summary>The expression rule a decision came from: its zero-based index and its condition as written.</summary>
public sealed record ExpressionRuleRef(int Index, string Condition);

/// <summary>The first rule that matched, with what it grants.</summary>
public sealed record ExpressionMatch(
    ExpressionRuleRef Rule,
    string Provider,
    string RoleArn,
    IReadOnlyDictionary<string, string> Tags,
    string? SessionPolicy,
    int? DurationSeconds);

/// <summary>
/// What the pool's expression rules say about one request: a match, a failure (an evaluation error or an input over the
/// limits: the request is denied with <see cref="FailureReason"/>), or nothing (RoleMappings and the defaults decide).
/// </summary>
public sealed record ExpressionOutcome(ExpressionMatch? Match, ExpressionRuleRef? FailedRule, string? FailedProvider, string? FailureReason)
{
    public static readonly ExpressionOutcome NoMatch = new(null, null, null, null);

    public bool Failed => FailureReason is not null;

    public static ExpressionOutcome Matched(ExpressionMatch match) => new(match, null, null, null);

    public static ExpressionOutcome Failure(ExpressionRuleRef? rule, string? provider, string reason) => new(null, rule, provider, reason);
}
