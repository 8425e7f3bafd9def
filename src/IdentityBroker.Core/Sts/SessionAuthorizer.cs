using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Storage;

namespace IdentityBroker.Sts;

/// <summary>
/// Evaluates what an embedded-STS session may do: its role's inline policies intersected with the session policy
/// (IAM User Guide, "Session policies": the effective permissions are the intersection; an explicit Deny in either
/// wins). Session tags are <c>aws:PrincipalTag/*</c> in the request context. Managed session policies
/// (<see cref="StsSession.PolicyArns"/>) are not known to the broker and grant nothing.
/// </summary>
public sealed class SessionAuthorizer(IIamStore iam, PolicyCache policies)
{
    public async Task<Result<PolicyDecision>> EvaluateAsync(StsSession session, string action, string resource, ConditionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(context);
        AddSessionKeys(session, context);
        var role = await iam.GetRoleAsync(session.RoleName, cancellationToken).ConfigureAwait(false);
        if (role is null || role.RoleId != session.RoleId)
        {
            // The role was deleted (or re-created under the same name): its old sessions grant nothing.
            return PolicyDecision.ImplicitDeny;
        }

        var rolePolicies = new List<PolicyDocument>(role.InlinePolicies.Count);
        foreach (var text in role.InlinePolicies.Values)
        {
            var parsed = policies.Parse(text, PolicyKind.Permission);
            if (!parsed.IsSuccess)
            {
                return parsed.Error!;
            }

            rolePolicies.Add(parsed.Value);
        }

        var request = new PolicyRequest(action, resource, null, context);
        var decision = PolicyEvaluator.Evaluate(rolePolicies, request);
        if (!decision.IsAllowed || session.Policy is null)
        {
            return decision;
        }

        var sessionPolicy = policies.Parse(session.Policy, PolicyKind.Permission);
        if (!sessionPolicy.IsSuccess)
        {
            return sessionPolicy.Error!;
        }

        var bounded = PolicyEvaluator.Evaluate(sessionPolicy.Value, request);
        return bounded.IsAllowed ? decision : bounded;
    }

    private static void AddSessionKeys(StsSession session, ConditionContext context)
    {
        context.Set("aws:PrincipalArn", session.RoleArn)
            .Set("aws:userid", session.UserId)
            .Set("aws:PrincipalAccount", session.AccountId)
            .Set("aws:PrincipalType", "AssumedRole");
        foreach (var (key, value) in session.Tags)
        {
            context.Set($"aws:PrincipalTag/{key}", value);
        }

        if (session.SourceIdentity is { } source)
        {
            context.Set("aws:SourceIdentity", source);
        }
    }
}
