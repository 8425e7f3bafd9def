using System.Text.Json;

namespace IdentityBroker.Mapping;

/// <summary>
/// The one JSON form of a <see cref="CredentialDecision"/>: the simulator's <c>Decision</c> member and the audit record's
/// <c>additionalEventData.decision</c> are written by this code, so an operator reads the same words in both.
/// </summary>
public static class DecisionJson
{
    public static void Write(Utf8JsonWriter w, string propertyName, CredentialDecision decision)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(decision);
        w.WriteStartObject(propertyName);
        w.WriteBoolean("allowed", decision.IsAllowed);
        w.WriteStartArray("logins");
        foreach (var login in decision.Logins)
        {
            w.WriteStartObject();
            w.WriteString("provider", login.Provider);
            w.WriteString("subject", login.Subject);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (decision.Role is { } role)
        {
            WriteRole(w, role);
        }

        w.WriteStartObject("sessionTags");
        foreach (var (key, value) in decision.SessionTags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        if (decision.Inputs is { } inputs)
        {
            WriteInputs(w, inputs);
        }

        if (decision.Refusal is { } refusal)
        {
            w.WriteStartObject("refusal");
            w.WriteString("errorCode", refusal.Type);
            w.WriteString("errorMessage", refusal.Message);
            w.WriteString("reason", decision.RefusalReason ?? refusal.Message);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteInputs(Utf8JsonWriter w, DecisionInputs inputs)
    {
        w.WriteStartObject("inputs");
        w.WriteString("identityId", inputs.IdentityId);
        w.WriteString("identityCreated", inputs.IdentityCreated);
        w.WriteStartArray("identityLogins");
        foreach (var provider in inputs.IdentityLogins)
        {
            w.WriteStringValue(provider);
        }

        w.WriteEndArray();
        w.WriteString("sourceIp", inputs.Request.SourceIp);
        w.WriteString("userAgent", inputs.Request.UserAgent);
        if (inputs.CustomRoleArn is { } custom)
        {
            w.WriteString("customRoleArn", custom);
        }

        w.WriteStartObject("claims");
        foreach (var login in inputs.Logins)
        {
            w.WritePropertyName(login.Provider);
            Expressions.ExpressionValues.WriteRecorded(w, login.ClaimsJson);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRole(Utf8JsonWriter w, RoleDecision role)
    {
        w.WriteStartObject("role");
        if (role.RoleArn is { } arn)
        {
            w.WriteString("roleArn", arn);
        }

        w.WriteString("chosenBy", ChosenBy(role));
        w.WriteString("source", role.Source.ToString());
        if (role.MappingKey is { } key)
        {
            w.WriteString("mappingKey", key);
        }

        if (role.LoginProvider is { } provider)
        {
            w.WriteString("provider", provider);
        }

        if (role is { RuleIndex: { } index, Rule: { } rule })
        {
            w.WriteStartObject("rule");
            w.WriteNumber("index", index);
            w.WriteString("claim", rule.Claim);
            w.WriteString("matchType", rule.MatchType);
            w.WriteString("value", rule.Value);
            w.WriteEndObject();
        }

        if (role.Expression is { } expression)
        {
            w.WriteStartObject("expressionRule");
            w.WriteNumber("index", expression.Index);
            w.WriteString("condition", expression.Condition);
            w.WriteEndObject();
        }

        if (role.TokenClaim is { } claim)
        {
            w.WriteString("tokenClaim", claim);
        }

        w.WriteString("reason", role.Reason);
        w.WriteEndObject();
    }

    /// <summary>Rules, Token, ExpressionRule, Default, SAML or Request (STS): what the console filters on.</summary>
    public static string ChosenBy(RoleDecision role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return role.Source switch
        {
            RoleSource.RuleMatch => "Rules",
            RoleSource.TokenCustomRole or RoleSource.TokenPreferredRole or RoleSource.TokenSingleRole => "Token",
            RoleSource.SamlAttribute => "SamlAttribute",
            RoleSource.ExpressionRule or RoleSource.ExpressionRuleFailed => "ExpressionRule",
            RoleSource.DefaultAuthenticated or RoleSource.DefaultUnauthenticated or RoleSource.AmbiguousAuthenticatedRole => "Default",
            RoleSource.RequestedRole => "Request",
            _ => "None",
        };
    }
}
