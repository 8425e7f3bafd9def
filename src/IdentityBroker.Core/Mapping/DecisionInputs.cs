using IdentityBroker.Mapping.Expressions;

namespace IdentityBroker.Mapping;

/// <summary>
/// The inputs of a credential decision, recorded with it so that <c>POST /admin/api/replay</c> can decide again under
/// proposed rules: each validated login's claims (never the token; the request-binding nonce and hashes are left out),
/// the identity's id, creation time and linked providers, the request's address and user agent, and the CustomRoleArn asked for.
/// </summary>
public sealed record DecisionInputs(
    IReadOnlyList<ExpressionLogin> Logins,
    string IdentityId,
    DateTimeOffset IdentityCreated,
    IReadOnlyList<string> IdentityLogins,
    ExpressionRequest Request,
    string? CustomRoleArn);
