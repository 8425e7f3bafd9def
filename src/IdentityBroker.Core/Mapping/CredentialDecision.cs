using IdentityBroker.Errors;
using IdentityBroker.Federation;

namespace IdentityBroker.Mapping;

/// <summary>A login the broker validated: its Logins key and the subject the provider vouched for. Never the token.</summary>
public sealed record DecidedLogin(string Provider, string Subject)
{
    public static DecidedLogin From(ValidatedLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return new DecidedLogin(login.ProviderKey, login.Subject);
    }

    /// <summary>A simulated login: its subject is the claims' <c>sub</c>, when the operator gave one.</summary>
    public static DecidedLogin From(MappingLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return new DecidedLogin(login.ProviderKey, login.Claim("sub") is [var sub, ..] ? sub : string.Empty);
    }
}

/// <summary>
/// The broker's decision behind one credential request (docs/audit.md, "The decision"): the logins it validated, how the role
/// was chosen (<see cref="RoleDecision"/>: the rule, the token claim or the default role), the session tags, and when refused the
/// AWS error and exactly why. One type for the simulator, the audit record and the console; <see cref="DecisionJson"/> writes it.
/// </summary>
/// <param name="Role">Null when the request was refused before a role was chosen (e.g. a login that did not validate).</param>
public sealed record CredentialDecision(
    IReadOnlyList<DecidedLogin> Logins,
    RoleDecision? Role,
    IReadOnlyDictionary<string, string> SessionTags,
    AwsError? Refusal,
    string? RefusalReason)
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    public bool IsAllowed => Refusal is null;

    /// <summary>What a replay needs to decide again (the audit record keeps it; the simulator does not set it).</summary>
    public DecisionInputs? Inputs { get; init; }

    public static CredentialDecision Allowed(IReadOnlyList<DecidedLogin> logins, RoleDecision role, IReadOnlyDictionary<string, string> tags) =>
        new(logins, role, tags, null, null);

    /// <summary>Refused by the role resolver: the role decision carries the error and the reason.</summary>
    public static CredentialDecision RoleRefused(IReadOnlyList<DecidedLogin> logins, RoleDecision role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new(logins, role, NoTags, role.Error, role.Reason);
    }

    /// <summary>Refused before or after the role was chosen (a login that did not validate, STS refusing the role).</summary>
    public static CredentialDecision Refused(IReadOnlyList<DecidedLogin> logins, RoleDecision? role, AwsError error, string reason) =>
        new(logins, role, NoTags, error, reason);
}
