using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Identities;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping;

/// <summary>
/// Chooses the role of an enhanced-flow request (docs/role-mapping.md): default roles, Token and Rules mappings, SAML role attributes,
/// CustomRoleArn and AmbiguousRoleResolution. Pure: no store, no clock, so the simulator runs exactly this code.
/// <para>Several logins in one request (undocumented in Cognito): the logins are taken in ordinal order of their Logins
/// key and the first one that has a RoleMapping decides, including a Deny. The order does not depend on the JSON member
/// order the client happened to send, so the same set of logins always gets the same role; a mapped provider is never
/// silently passed over for an unmapped one. With no mapped login, a SAML login carrying role attributes decides; else the
/// default authenticated role applies.</para>
/// </summary>
public static class RoleResolver
{
    public const string TokenType = "Token";
    public const string RulesType = "Rules";
    public const string DenyResolution = "Deny";
    public const string PreferredRoleClaim = "cognito:preferred_role";
    public const string RolesClaim = "cognito:roles";

    public static RoleDecision Resolve(IdentityPool pool, Identity identity, IReadOnlyList<ValidatedLogin> logins, string? customRoleArn)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(logins);
        return Resolve(pool, identity.IsAuthenticated, [.. logins.Select(MappingLogin.From)], customRoleArn);
    }

    public static RoleDecision Resolve(IdentityPool pool, bool authenticated, IReadOnlyList<MappingLogin> logins, string? customRoleArn)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(logins);
        if (!authenticated)
        {
            return Default(pool, RoleSource.DefaultUnauthenticated, null, customRoleArn, null, "guest identity: the pool's unauthenticated role");
        }

        var ordered = logins.OrderBy(l => l.ProviderKey, StringComparer.Ordinal).ToList();
        foreach (var login in ordered)
        {
            if (MappingKeys.Find(pool.RoleMappings, login) is { } key)
            {
                return FromMapping(pool, key, pool.RoleMappings![key], login, customRoleArn);
            }
        }

        foreach (var login in ordered)
        {
            if (SamlRoles.RolesFor(login) is { Count: > 0 } samlRoles)
            {
                return FromSaml(samlRoles, login, customRoleArn);
            }
        }

        return Default(pool, RoleSource.DefaultAuthenticated, null, customRoleArn, ordered.FirstOrDefault()?.ProviderKey,
            "no role mapping for the login's provider: the pool's authenticated role");
    }

    private static RoleDecision FromMapping(IdentityPool pool, string key, RoleMapping mapping, MappingLogin login, string? customRoleArn) =>
        mapping.Type == RulesType
            ? FromRules(pool, key, mapping, login, customRoleArn)
            : FromToken(pool, key, mapping, login, customRoleArn);

    /// <summary>Order (Amazon Cognito Developer Guide, "Using role-based access control", token-based roles): CustomRoleArn must be in cognito:roles; else cognito:preferred_role; else a single role.</summary>
    private static RoleDecision FromToken(IdentityPool pool, string key, RoleMapping mapping, MappingLogin login, string? customRoleArn)
    {
        var roles = TokenRoles(login);
        if (customRoleArn is not null)
        {
            return roles.Contains(customRoleArn, StringComparer.Ordinal)
                ? Chosen(customRoleArn, RoleSource.TokenCustomRole, key, null, login, $"CustomRoleArn is one of the token's {RolesClaim}") with { TokenClaim = RolesClaim }
                : Refused(customRoleArn, key, login, $"CustomRoleArn is not one of the token's {RolesClaim}");
        }

        if (login.Claim(PreferredRoleClaim) is [var preferred])
        {
            return Chosen(preferred, RoleSource.TokenPreferredRole, key, null, login, $"the token's {PreferredRoleClaim}") with { TokenClaim = PreferredRoleClaim };
        }

        if (roles.Count == 1)
        {
            return Chosen(roles[0], RoleSource.TokenSingleRole, key, null, login, $"the token's single {RolesClaim} value") with { TokenClaim = RolesClaim };
        }

        var why = roles.Count == 0 ? $"the token carries no {RolesClaim}" : $"the token carries {roles.Count} {RolesClaim} values and no {PreferredRoleClaim}";
        return Ambiguous(pool, key, mapping, login, null, why);
    }

    /// <summary>Rules in order, first match wins; a CustomRoleArn picks among the matching rules (Amazon Cognito Developer Guide, "Using role-based access control", rule-based mapping).</summary>
    private static RoleDecision FromRules(IdentityPool pool, string key, RoleMapping mapping, MappingLogin login, string? customRoleArn)
    {
        var rules = mapping.RulesConfiguration?.Rules ?? [];
        var matched = Enumerable.Range(0, rules.Count).Where(i => ClaimRules.Matches(rules[i], login)).ToList();
        if (matched.Count == 0)
        {
            return Ambiguous(pool, key, mapping, login, customRoleArn, $"none of the {rules.Count} rules matched");
        }

        var position = customRoleArn is null ? 0 : matched.FindIndex(i => rules[i].RoleARN == customRoleArn);
        if (position < 0)
        {
            return Refused(customRoleArn!, key, login, "CustomRoleArn is not the role of any matching rule");
        }

        var index = matched[position];
        var rule = rules[index];
        return Chosen(rule.RoleARN!, RoleSource.RuleMatch, key, index, login,
            $"rule {index + 1} ({rule.Claim} {rule.MatchType} '{rule.Value}') is the first matching rule") with { Rule = rule };
    }

    private static RoleDecision FromSaml(IReadOnlyList<string> roles, MappingLogin login, string? customRoleArn)
    {
        if (customRoleArn is not null)
        {
            return roles.Contains(customRoleArn, StringComparer.Ordinal)
                ? Chosen(customRoleArn, RoleSource.SamlAttribute, null, null, login, "CustomRoleArn is one of the assertion's Role attribute values")
                : Refused(customRoleArn, null, login, "CustomRoleArn is not one of the assertion's Role attribute values");
        }

        return roles.Count == 1
            ? Chosen(roles[0], RoleSource.SamlAttribute, null, null, login, "the assertion's single Role attribute value")
            : new RoleDecision(null, CognitoErrors.InvalidParameter(
                "The SAML assertion offers several roles: choose one with CustomRoleArn."), RoleSource.NoRole, null, null, login.ProviderKey,
                $"the assertion offers {roles.Count} roles and no CustomRoleArn was given");
    }

    private static RoleDecision Ambiguous(IdentityPool pool, string key, RoleMapping mapping, MappingLogin login, string? customRoleArn, string why)
    {
        if (mapping.AmbiguousRoleResolution == DenyResolution)
        {
            return new RoleDecision(null, CognitoErrors.NotAuthorized($"The ambiguous role mapping rules for: {key} denied this request."),
                RoleSource.AmbiguousDenied, key, null, login.ProviderKey, $"{why}; AmbiguousRoleResolution is Deny");
        }

        return Default(pool, RoleSource.AmbiguousAuthenticatedRole, key, customRoleArn, login.ProviderKey,
            $"{why}; AmbiguousRoleResolution is AuthenticatedRole");
    }

    private static RoleDecision Default(IdentityPool pool, RoleSource source, string? key, string? customRoleArn, string? provider, string why)
    {
        var unauthenticated = source == RoleSource.DefaultUnauthenticated;
        if (pool.RoleFor(!unauthenticated) is not { } role)
        {
            var type = unauthenticated ? RoleTypes.Unauthenticated : RoleTypes.Authenticated;
            return new RoleDecision(null, CognitoErrors.CheckRoles(), RoleSource.NoRole, key, null, provider, $"{why}, but the pool has no {type} role");
        }

        if (customRoleArn is not null && customRoleArn != role)
        {
            return new RoleDecision(null, Forbidden(customRoleArn), RoleSource.CustomRoleRefused, key, null, provider,
                $"{why}; CustomRoleArn is not that role");
        }

        return new RoleDecision(role, null, source, key, null, provider, why);
    }

    private static RoleDecision Chosen(string role, RoleSource source, string? key, int? rule, MappingLogin login, string why) =>
        new(role, null, source, key, rule, login.ProviderKey, why);

    private static RoleDecision Refused(string customRoleArn, string? key, MappingLogin login, string why) =>
        new(null, Forbidden(customRoleArn), RoleSource.CustomRoleRefused, key, null, login.ProviderKey, why);

    /// <summary>The message Cognito gives for a role the caller may not use (its wording as quoted in public AWS SDK issue reports).</summary>
    public static AwsError Forbidden(string roleArn) => CognitoErrors.NotAuthorized($"Access to Role '{roleArn}' is forbidden.");

    /// <summary>cognito:roles arrives as a JSON array (one value each) or as one comma-separated string (as documented).</summary>
    private static List<string> TokenRoles(MappingLogin login) =>
        [.. (login.Claim(RolesClaim) ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)];
}
