namespace IdentityBroker.Policies;

/// <summary>
/// Evaluates one condition clause (IAM User Guide, "Condition operators" and "Multivalued context keys"): several policy
/// values are ORed; a missing key fails positive operators and satisfies negated ones; IfExists makes a missing key pass;
/// ForAnyValue needs one request value to match, ForAllValues needs every request value to (and passes on none).
/// </summary>
internal static class ConditionEvaluator
{
    public static bool AllMatch(IReadOnlyList<ConditionClause> clauses, ConditionContext context, bool variables)
    {
        foreach (var clause in clauses)
        {
            if (!Matches(clause, context, variables))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Matches(ConditionClause clause, ConditionContext context, bool variables)
    {
        var requestValues = context.Get(clause.Key);
        if (clause.BaseOperator == "Null")
        {
            // "Null": true means the key must be absent, false that it must be present.
            return clause.Values.Any(v => bool.TryParse(v, out var absent) && absent == (requestValues is null));
        }

        var (positive, negated) = ConditionOperators.Resolve(clause.BaseOperator);
        if (requestValues is null)
        {
            return clause.IfExists || clause.Qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => negated,
            };
        }

        var policyValues = Resolve(clause.Values, positive, context, variables);
        if (policyValues.Count == 0)
        {
            // Every value referenced an unresolvable variable: the element does not match.
            return false;
        }

        return clause.Qualifier switch
        {
            SetQualifier.ForAllValues => requestValues.All(v => MatchesValue(positive, negated, v, policyValues)),
            SetQualifier.ForAnyValue => requestValues.Any(v => MatchesValue(positive, negated, v, policyValues)),
            _ when negated => requestValues.All(v => MatchesValue(positive, negated, v, policyValues)),
            _ => requestValues.Any(v => MatchesValue(positive, negated, v, policyValues)),
        };
    }

    private static bool MatchesValue(string positive, bool negated, string requestValue, List<string> policyValues)
    {
        var any = false;
        foreach (var policyValue in policyValues)
        {
            if (ConditionOperators.Matches(positive, requestValue, policyValue))
            {
                any = true;
                break;
            }
        }

        return any != negated;
    }

    private static List<string> Resolve(IReadOnlyList<string> values, string positive, ConditionContext context, bool variables)
    {
        var wildcards = ConditionOperators.UsesWildcards(positive);
        var resolved = new List<string>(values.Count);
        foreach (var value in values)
        {
            var substituted = wildcards
                ? PolicyVariables.ToGlob(value, context, variables)
                : PolicyVariables.Substitute(value, context, variables);
            if (substituted is not null)
            {
                resolved.Add(substituted);
            }
        }

        return resolved;
    }
}
