using IdentityBroker.Errors;

namespace IdentityBroker.Mapping;

/// <summary>One action/resource pair to evaluate against the chosen role.</summary>
public sealed record SimulatedAction(string Action, string Resource);

/// <summary>
/// What the operator asks: a pool, and either real Logins (validated, never linked) or claims by Logins key; no logins and
/// no claims is a guest. <see cref="IdentityId"/> stands in for <c>${cognito-identity.amazonaws.com:sub}</c>.
/// </summary>
public sealed record SimulationRequest(
    string IdentityPoolId,
    IReadOnlyDictionary<string, string>? Logins,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? Claims,
    string? CustomRoleArn,
    string? IdentityId,
    IReadOnlyList<SimulatedAction> Actions)
{
    /// <summary>
    /// The claims documents by Logins key, as given (JSON objects): expression rules read them as a validated token's payload,
    /// arrays and nested objects kept. A key here takes precedence over <see cref="Claims"/>, which AWS Rules read.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]>? ClaimPayloads { get; init; }
}

/// <summary>A policy the session would carry, with its variables substituted (unresolvable ones left as written).</summary>
/// <param name="Name">e.g. <c>role:MyRole/inline:s3</c> or <c>session:guest-scope-down</c>.</param>
public sealed record EffectivePolicy(string Name, string Document);

/// <summary>Allow/Deny for one pair and the statement that decided it (null for an implicit deny).</summary>
public sealed record SimulatedDecision(string Action, string Resource, string Decision, string? DecidedBy, string Explanation);

/// <summary>
/// The simulator's answer. Nothing is minted, no identity is created or linked. <see cref="Decision"/> is the same type the
/// audit record carries for a real GetCredentialsForIdentity.
/// </summary>
public sealed record SimulationResult(
    string IdentityPoolId,
    bool Authenticated,
    CredentialDecision Decision,
    IReadOnlyList<string> SkippedTags,
    string? TrustProblem,
    IReadOnlyList<EffectivePolicy> Policies,
    IReadOnlyList<SimulatedDecision> Decisions,
    IReadOnlyList<string> Notes)
{
    public RoleDecision Role => Decision.Role!;

    public IReadOnlyDictionary<string, string> SessionTags => Decision.SessionTags;
}

/// <summary>A simulation that could not run at all (unknown pool, a login token that does not validate).</summary>
public sealed record SimulationOutcome(SimulationResult? Result, AwsError? Error);
