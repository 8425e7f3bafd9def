namespace IdentityBroker.Policies;

/// <summary>A principal in the request, e.g. (<c>Federated</c>, <c>cognito-identity.amazonaws.com</c>).</summary>
public sealed record RequestPrincipal(string Type, string Value);

/// <summary>What is being authorized.</summary>
/// <param name="Action">e.g. <c>sts:AssumeRoleWithWebIdentity</c>.</param>
/// <param name="Resource">An ARN.</param>
/// <param name="Principal">Required when a statement names a Principal (trust policies); null otherwise.</param>
public sealed record PolicyRequest(string Action, string Resource, RequestPrincipal? Principal, ConditionContext Context);

public enum PolicyEffect
{
    ImplicitDeny,
    Allow,
    ExplicitDeny,
}

/// <summary>The outcome and the statement that decided it (null for an implicit deny).</summary>
public sealed record PolicyDecision(PolicyEffect Effect, int? PolicyIndex, int? StatementIndex, string? Sid)
{
    public static readonly PolicyDecision ImplicitDeny = new(PolicyEffect.ImplicitDeny, null, null, null);

    public bool IsAllowed => Effect == PolicyEffect.Allow;
}

/// <summary>
/// IAM's evaluation logic for a set of policies of one kind: an explicit Deny in any statement wins, then any Allow,
/// otherwise the request is implicitly denied (IAM User Guide, "Policy evaluation logic").
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(PolicyDocument policy, PolicyRequest request) => Evaluate([policy], request);

    public static PolicyDecision Evaluate(IReadOnlyList<PolicyDocument> policies, PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);
        PolicyDecision? allow = null;
        for (var p = 0; p < policies.Count; p++)
        {
            foreach (var statement in policies[p].Statements)
            {
                if (!Applies(statement, policies[p].SupportsVariables, request))
                {
                    continue;
                }

                var decision = new PolicyDecision(
                    statement.Effect == StatementEffect.Deny ? PolicyEffect.ExplicitDeny : PolicyEffect.Allow, p, statement.Index, statement.Sid);
                if (decision.Effect == PolicyEffect.ExplicitDeny)
                {
                    return decision;
                }

                allow ??= decision;
            }
        }

        return allow ?? PolicyDecision.ImplicitDeny;
    }

    private static bool Applies(PolicyStatement statement, bool variables, PolicyRequest request) =>
        ActionMatches(statement.Actions, request.Action)
        && ResourceMatches(statement.Resources, request.Resource, request.Context, variables)
        && PrincipalMatches(statement.Principal, request.Principal)
        && ConditionEvaluator.AllMatch(statement.Conditions, request.Context, variables);

    private static bool ActionMatches(MatchList actions, string action)
    {
        var any = false;
        foreach (var pattern in actions.Patterns)
        {
            // Action names are case-insensitive in IAM.
            if (Glob.IsMatch(pattern, action, ignoreCase: true))
            {
                any = true;
                break;
            }
        }

        return any != actions.Negated;
    }

    private static bool ResourceMatches(MatchList? resources, string resource, ConditionContext context, bool variables)
    {
        if (resources is null)
        {
            return true;
        }

        var any = false;
        foreach (var pattern in resources.Patterns)
        {
            // An entry whose variable cannot be resolved matches nothing.
            if (PolicyVariables.ToGlob(pattern, context, variables) is { } glob && Glob.IsMatch(glob, resource, ignoreCase: false))
            {
                any = true;
                break;
            }
        }

        return any != resources.Negated;
    }

    private static bool PrincipalMatches(PrincipalSpec? spec, RequestPrincipal? principal)
    {
        if (spec is null)
        {
            return true;
        }

        var named = principal is not null && (spec.IsWildcard || Names(spec, principal));
        return named != spec.Negated;
    }

    private static bool Names(PrincipalSpec spec, RequestPrincipal principal) =>
        spec.ByType.TryGetValue(principal.Type, out var values)
        && values.Any(v => v == principal.Value || (principal.Type == "AWS" && v == "*"));
}
