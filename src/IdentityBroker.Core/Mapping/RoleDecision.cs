using IdentityBroker.Errors;

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
    CustomRoleRefused,
    NoRole,
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
}
