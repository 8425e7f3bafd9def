namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// The documented bounds of expression rules (docs/expression-rules.md, "Limits"). The cost budget is checked at write
/// time against each expression's worst case; evaluation refuses inputs larger than the sizes that worst case assumed,
/// so no rule can cost more than its budget on the hot path.
/// </summary>
public static class ExpressionLimits
{
    /// <summary>Rules per pool (Cognito allows 25 Rules per mapping).</summary>
    public const int MaxRules = 1000;

    public const int MaxExpressionLength = 4096;

    public const int MaxTagsPerRule = 50;

    /// <summary>The largest array (list or object) evaluation accepts in the inputs; a comprehension's worst case assumes it.</summary>
    public const int MaxListSize = 100;

    /// <summary>How deeply claims may nest (objects and arrays inside one another).</summary>
    public const int MaxDepth = 8;

    /// <summary>Worst-case cost (nodes evaluated) of one expression.</summary>
    public const long CostBudget = 100_000;

    /// <summary>Worst-case cost of a whole rule set (every rule evaluated, none matching).</summary>
    public const long RuleSetBudget = 1_000_000;

    public const int MinDuration = 900;

    public const int MaxDuration = 43_200;

    /// <summary>AssumeRoleWithWebIdentity's limit on an inline session policy.</summary>
    public const int MaxSessionPolicyLength = 2048;
}
