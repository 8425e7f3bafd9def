using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// Expression rules first, then RoleMappings and the defaults (<see cref="RoleResolver"/>): the one place that combines
/// them, for GetCredentialsForIdentity, the simulator and replay. Rules apply to authenticated identities (guests have no
/// claims). A CustomRoleArn must be the matching rule's role. A rule's tags are added to the principal tags, a rule's
/// tag winning over a principal tag of the same key.
/// </summary>
public static class ExpressionRoles
{
    public static RoleDecision Resolve(IdentityPool pool, bool authenticated, IReadOnlyList<MappingLogin> logins, string? customRoleArn, ExpressionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (authenticated && outcome.Match is { } match)
        {
            var label = $"expression rule {match.Rule.Index + 1} ({match.Rule.Condition})";
            return customRoleArn is not null && customRoleArn != match.RoleArn
                ? new RoleDecision(null, RoleResolver.Forbidden(customRoleArn), RoleSource.CustomRoleRefused, null, null, match.Provider,
                    $"{label} chose {match.RoleArn}; CustomRoleArn is not that role") { Expression = match.Rule }
                : new RoleDecision(match.RoleArn, null, RoleSource.ExpressionRule, null, null, match.Provider, $"{label} is the first matching rule") { Expression = match.Rule };
        }

        if (authenticated && outcome.Failed)
        {
            return new RoleDecision(null, CognitoErrors.NotAuthorized("The identity pool's expression rules could not be evaluated for this request."),
                RoleSource.ExpressionRuleFailed, null, null, outcome.FailedProvider, outcome.FailureReason!) { Expression = outcome.FailedRule };
        }

        return RoleResolver.Resolve(pool, authenticated, logins, customRoleArn);
    }

    public static IReadOnlyDictionary<string, string> Tags(IReadOnlyDictionary<string, string> principalTags, ExpressionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(principalTags);
        if (outcome?.Match is not { Tags.Count: > 0 } match)
        {
            return principalTags;
        }

        var merged = new Dictionary<string, string>(principalTags, StringComparer.Ordinal);
        foreach (var (key, value) in match.Tags)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>The pool's rules against this request; no rules (or a guest) is no match, at no cost.</summary>
    public static ExpressionOutcome Evaluate(CompiledRuleSet rules, bool authenticated, Func<ExpressionInput> input)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        return authenticated && !rules.IsEmpty ? rules.Evaluate(input()) : ExpressionOutcome.NoMatch;
    }
}
