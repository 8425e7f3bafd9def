namespace IdentityBroker.Policies;

/// <summary>Which kind of IAM document is parsed: the rules for Principal and Resource differ.</summary>
public enum PolicyKind
{
    /// <summary>Identity (role inline, session) policies: no Principal, Resource required.</summary>
    Permission,

    /// <summary>A role's trust (assume-role) policy: Principal required, no Resource.</summary>
    Trust,
}

public enum StatementEffect
{
    Allow,
    Deny,
}

/// <summary>A parsed, immutable IAM policy document.</summary>
/// <param name="Version">2012-10-17 or 2008-10-17 (the default when absent; it has no policy variables).</param>
public sealed record PolicyDocument(string Version, IReadOnlyList<PolicyStatement> Statements)
{
    public const string CurrentVersion = "2012-10-17";
    public const string LegacyVersion = "2008-10-17";

    /// <summary>Policy variables are substituted only in 2012-10-17 documents (IAM User Guide, "Policy variables").</summary>
    public bool SupportsVariables => Version == CurrentVersion;
}

/// <param name="Index">Zero-based position in the document.</param>
/// <param name="Actions">Action or NotAction.</param>
/// <param name="Resources">Resource or NotResource; null when absent (trust policies).</param>
/// <param name="Principal">Principal or NotPrincipal; null when absent (permission policies).</param>
public sealed record PolicyStatement(
    int Index,
    string? Sid,
    StatementEffect Effect,
    MatchList Actions,
    MatchList? Resources,
    PrincipalSpec? Principal,
    IReadOnlyList<ConditionClause> Conditions);

/// <summary>The values of Action/NotAction or Resource/NotResource.</summary>
public sealed record MatchList(IReadOnlyList<string> Patterns, bool Negated);

/// <summary>Principal or NotPrincipal: <c>"*"</c>, or principals by type (AWS, Federated, Service, CanonicalUser).</summary>
public sealed record PrincipalSpec(bool Negated, bool IsWildcard, IReadOnlyDictionary<string, IReadOnlyList<string>> ByType);

/// <summary>How a condition operator treats a multi-valued context key.</summary>
public enum SetQualifier
{
    None,
    ForAnyValue,
    ForAllValues,
}

/// <summary>One (operator, key, values) triple of a Condition block.</summary>
/// <param name="Operator">The operator as written, e.g. <c>ForAnyValue:StringLike</c>.</param>
/// <param name="BaseOperator">The operator without qualifier and IfExists, e.g. <c>StringLike</c>.</param>
public sealed record ConditionClause(
    string Operator,
    SetQualifier Qualifier,
    string BaseOperator,
    bool IfExists,
    string Key,
    IReadOnlyList<string> Values);
