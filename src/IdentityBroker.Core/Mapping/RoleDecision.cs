using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping;

/// <summary>How a role was chosen (or refused); the simulator prints it, the log names it.</summary>
public enum RoleSource
{
    DefaultUnauthenticated,
    DefaultAuthenticated,
    TokenCustomRole,
    TokenPreferredRole,
    TokenSingleRole,
    RuleMatch,
    AmbiguousAuthenticatedRole,
    AmbiguousDenied,
    SamlAttribute,
    ExpressionRule,
    ExpressionRuleFailed,
    CustomRoleRefused,
    NoRole,

    /// <summary>STS's AssumeRoleWithWebIdentity: the caller named the role and its trust policy admitted the token.</summary>
    RequestedRole,
}

/// <summary>
/// The role resolver's answer: the role ARN, or the Cognito error the caller gets; always with the reason.
/// </summary>
/// <param name="MappingKey">The RoleMappings key that applied, or null when the default roles applied.</param>
/// <param name="RuleIndex">Zero-based index of the rule that matched (Rules mappings).</param>
/// <param name="LoginProvider">The Logins key whose claims decided, or null for guests.</param>
public sealed record RoleDecision(
    string? RoleArn,
    AwsError? Error,
    RoleSource Source,
    string? MappingKey,
    int? RuleIndex,
    string? LoginProvider,
    string Reason)
{
    public bool IsAllowed => RoleArn is not null;

    /// <summary>The Rules rule that chose the role (its claim, match type and value); null otherwise.</summary>
    public MappingRule? Rule { get; init; }

    /// <summary>The expression rule that chose the role, or whose evaluation failed; null otherwise.</summary>
    public Expressions.ExpressionRuleRef? Expression { get; init; }

    /// <summary>The token claim that chose the role (Token mappings: <c>cognito:preferred_role</c> or <c>cognito:roles</c>); null otherwise.</summary>
    public string? TokenClaim { get; init; }
}
