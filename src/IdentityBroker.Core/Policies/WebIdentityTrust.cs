namespace IdentityBroker.Policies;

/// <summary>One way the token's issuer can be named in a trust policy, with the condition keys IAM gives that principal.</summary>
/// <param name="FederatedPrincipal">e.g. <c>cognito-identity.amazonaws.com</c> or an OIDC-provider ARN.</param>
/// <param name="Provider">What STS reports as Provider when this principal matched.</param>
public sealed record TrustCandidate(string FederatedPrincipal, string Provider, ConditionContext Context);

/// <summary>The candidate the trust policy accepted, or the reason none was.</summary>
public sealed record TrustOutcome(TrustCandidate? Accepted, PolicyDecision Decision, string DeniedAction)
{
    public bool IsAllowed => Accepted is not null;
}

/// <summary>
/// Trust evaluation for AssumeRoleWithWebIdentity: the statement must allow <c>sts:AssumeRoleWithWebIdentity</c> for the
/// token's Federated principal, and every extra action the token implies (<c>sts:TagSession</c> when it carries session
/// tags, <c>sts:SetSourceIdentity</c> with a source identity). Candidates are tried in order; the first accepted wins.
/// On refusal the most specific denied action is reported.
/// </summary>
public static class WebIdentityTrust
{
    public const string AssumeAction = "sts:AssumeRoleWithWebIdentity";
    public const string TagSessionAction = "sts:TagSession";
    public const string SetSourceIdentityAction = "sts:SetSourceIdentity";

    public static TrustOutcome Evaluate(PolicyDocument trustPolicy, string roleArn, IReadOnlyList<TrustCandidate> candidates, IReadOnlyList<string> extraActions)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(extraActions);
        var last = new TrustOutcome(null, PolicyDecision.ImplicitDeny, AssumeAction);
        foreach (var candidate in candidates)
        {
            var principal = new RequestPrincipal("Federated", candidate.FederatedPrincipal);
            var outcome = EvaluateActions(trustPolicy, roleArn, candidate, principal, extraActions);
            if (outcome.IsAllowed)
            {
                return outcome;
            }

            // Report the denial of the candidate that got furthest (e.g. TagSession after an allowed assume).
            if (last.DeniedAction == AssumeAction)
            {
                last = outcome;
            }
        }

        return last;
    }

    private static TrustOutcome EvaluateActions(
        PolicyDocument trustPolicy, string roleArn, TrustCandidate candidate, RequestPrincipal principal, IReadOnlyList<string> extraActions)
    {
        PolicyDecision decision = PolicyDecision.ImplicitDeny;
        foreach (var action in extraActions.Prepend(AssumeAction))
        {
            decision = PolicyEvaluator.Evaluate(trustPolicy, new PolicyRequest(action, roleArn, principal, candidate.Context));
            if (!decision.IsAllowed)
            {
                return new TrustOutcome(null, decision, action);
            }
        }

        return new TrustOutcome(candidate, decision, string.Empty);
    }
}
