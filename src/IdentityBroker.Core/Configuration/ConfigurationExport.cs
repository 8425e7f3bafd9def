using IdentityBroker.Iam;
using IdentityBroker.Pools;

namespace IdentityBroker.Configuration;

/// <summary>
/// The stored configuration as a <see cref="BrokerDocument"/>: the same state always gives the same document (every
/// list and map in ordinal key order), so an export can be compared byte for byte. Only what an operator sets is written:
/// no ids or dates the broker generates, no secret.
/// </summary>
public static class ConfigurationExport
{
    public static BrokerDocument ToDocument(ConfigurationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new BrokerDocument
        {
            Roles = [.. state.Roles.Select(Role)],
            OpenIdConnectProviders = [.. state.OidcProviders.Select(Oidc)],
            SamlProviders = [.. state.SamlProviders.Select(Saml)],
            UserPools = [.. state.UserPools.Select(p => UserPoolExport.Pool(
                p, state.UserPoolClients.Where(c => c.UserPoolId == p.Id), state.UserPoolGroups.Where(g => g.UserPoolId == p.Id),
                state.ResourceServers.Where(r => r.UserPoolId == p.Id)))],
            IdentityPools = [.. state.Pools.Select(Pool)],
        };
    }

    public static RoleDocument Role(IamRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new RoleDocument
        {
            RoleName = role.RoleName,
            Path = role.Path,
            // IAM clears a description by setting it empty (UpdateRole): empty and absent are one state, written one way.
            Description = string.IsNullOrEmpty(role.Description) ? null : role.Description,
            MaxSessionDuration = role.MaxSessionDuration,
            AssumeRolePolicyDocument = role.AssumeRolePolicyDocument,
            RolePolicies = Sorted(role.InlinePolicies),
        };
    }

    public static OidcProviderDocument Oidc(OidcProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new OidcProviderDocument
        {
            Url = provider.Url,
            ClientIDList = [.. provider.ClientIds],
            ThumbprintList = [.. provider.Thumbprints],
            Tags = Sorted(provider.Tags),
        };
    }

    public static SamlProviderDocument Saml(SamlProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new SamlProviderDocument { Name = provider.Name, SAMLMetadataDocument = provider.MetadataDocument, Tags = Sorted(provider.Tags) };
    }

    public static PoolDocument Pool(IdentityPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolDocument
        {
            IdentityPoolId = pool.IdentityPoolId,
            IdentityPoolName = pool.IdentityPoolName,
            AllowUnauthenticatedIdentities = pool.AllowUnauthenticatedIdentities,
            AllowClassicFlow = pool.AllowClassicFlow,
            SupportedLoginProviders = Sorted(pool.SupportedLoginProviders),
            DeveloperProviderName = pool.DeveloperProviderName,
            OpenIdConnectProviderARNs = List(pool.OpenIdConnectProviderARNs),
            CognitoIdentityProviders = pool.CognitoIdentityProviders is { Count: > 0 } cognito
                ? [.. cognito.Select(p => new CognitoProviderDocument { ProviderName = p.ProviderName, ClientId = p.ClientId, ServerSideTokenCheck = p.ServerSideTokenCheck })]
                : null,
            SamlProviderARNs = List(pool.SamlProviderARNs),
            IdentityPoolTags = Sorted(pool.IdentityPoolTags),
            Roles = Sorted(pool.Roles),
            RoleMappings = pool.RoleMappings is { Count: > 0 } mappings
                ? mappings.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => Mapping(m.Value), StringComparer.Ordinal)
                : null,
            PrincipalTags = pool.PrincipalTagMaps is { Count: > 0 } maps
                ? maps.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(
                    m => m.Key, m => new PrincipalTagDocument { UseDefaults = m.Value.UseDefaults, PrincipalTags = Sorted(m.Value.PrincipalTags) }, StringComparer.Ordinal)
                : null,
            ExpressionRules = pool.ExpressionRules is { Count: > 0 } rules ? [.. rules.Select(Rule)] : null,
        };
    }

    private static RoleMappingDocument Mapping(RoleMapping mapping) => new()
    {
        Type = mapping.Type,
        AmbiguousRoleResolution = mapping.AmbiguousRoleResolution,
        RulesConfiguration = mapping.RulesConfiguration?.Rules is { } rules
            ? new RulesConfigurationDocument
            {
                Rules = [.. rules.Select(r => new MappingRuleDocument { Claim = r.Claim, MatchType = r.MatchType, Value = r.Value, RoleARN = r.RoleARN })],
            }
            : null,
    };

    private static ExpressionRuleDocument Rule(ExpressionRule rule) => new()
    {
        Condition = rule.Condition,
        Role = rule.Role,
        Tags = Sorted(rule.Tags),
        SessionPolicy = rule.SessionPolicy,
        DurationSeconds = rule.DurationSeconds,
    };

    private static List<string>? List(IReadOnlyList<string>? items) => items is { Count: > 0 } ? [.. items] : null;

    /// <summary>Null for an absent or empty map, so that "none" has one spelling in the document.</summary>
    private static Dictionary<string, string>? Sorted(IReadOnlyDictionary<string, string>? map) =>
        map is { Count: > 0 } ? map.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal) : null;
}
