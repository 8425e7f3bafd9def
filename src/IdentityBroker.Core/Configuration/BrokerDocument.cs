namespace IdentityBroker.Configuration;

/// <summary>
/// The whole broker's configuration as one declarative document (docs/config-as-code.md): IAM roles and identity providers
/// (embedded mode), user pools with their app clients and groups, then identity pools in AWS's shapes (DescribeIdentityPool, GetIdentityPoolRoles, GetPrincipalTagAttributeMap)
/// with the broker's expression rules. Mutable with concrete collections because the YAML reader fills it member by member;
/// nothing else writes it. Secrets have no member here, so they can neither be exported nor applied.
/// </summary>
public sealed class BrokerDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public List<RoleDocument>? Roles { get; set; }

    public List<OidcProviderDocument>? OpenIdConnectProviders { get; set; }

    public List<SamlProviderDocument>? SamlProviders { get; set; }

    public List<UserPoolDocument>? UserPools { get; set; }

    public List<PoolDocument>? IdentityPools { get; set; }
}

/// <summary>An IAM role as CreateRole and PutRolePolicy take it; its id, ARN and creation date are the broker's.</summary>
public sealed class RoleDocument
{
    public string? RoleName { get; set; }

    public string? Path { get; set; }

    public string? Description { get; set; }

    public int? MaxSessionDuration { get; set; }

    public string? AssumeRolePolicyDocument { get; set; }

    /// <summary>Inline policies by name (PutRolePolicy).</summary>
    public Dictionary<string, string>? RolePolicies { get; set; }
}

/// <summary>An IAM OpenID Connect provider as CreateOpenIDConnectProvider takes it; its ARN follows from the URL.</summary>
public sealed class OidcProviderDocument
{
    public string? Url { get; set; }

    public List<string>? ClientIDList { get; set; }

    public List<string>? ThumbprintList { get; set; }

    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>An IAM SAML provider as CreateSAMLProvider takes it; its ARN follows from the name.</summary>
public sealed class SamlProviderDocument
{
    public string? Name { get; set; }

    public string? SAMLMetadataDocument { get; set; }

    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>
/// An identity pool: DescribeIdentityPool's members, GetIdentityPoolRoles' Roles and RoleMappings, the principal-tag maps by
/// provider and the expression rules. A pool without an id is created with a new one.
/// </summary>
public sealed class PoolDocument
{
    public string? IdentityPoolId { get; set; }

    public string? IdentityPoolName { get; set; }

    public bool AllowUnauthenticatedIdentities { get; set; }

    public bool? AllowClassicFlow { get; set; }

    public Dictionary<string, string>? SupportedLoginProviders { get; set; }

    public string? DeveloperProviderName { get; set; }

    /// <summary>Provider ARNs, or an OIDC provider's URL (resolved to its ARN).</summary>
    public List<string>? OpenIdConnectProviderARNs { get; set; }

    public List<CognitoProviderDocument>? CognitoIdentityProviders { get; set; }

    /// <summary>Provider ARNs, or a SAML provider's name (resolved to its ARN).</summary>
    public List<string>? SamlProviderARNs { get; set; }

    public Dictionary<string, string>? IdentityPoolTags { get; set; }

    /// <summary><c>authenticated</c> / <c>unauthenticated</c> → a role ARN, or a role's name (resolved to its ARN).</summary>
    public Dictionary<string, string>? Roles { get; set; }

    public Dictionary<string, RoleMappingDocument>? RoleMappings { get; set; }

    /// <summary>Principal-tag maps by IdentityProviderName (SetPrincipalTagAttributeMap).</summary>
    public Dictionary<string, PrincipalTagDocument>? PrincipalTags { get; set; }

    public List<ExpressionRuleDocument>? ExpressionRules { get; set; }
}

public sealed class CognitoProviderDocument
{
    public string? ProviderName { get; set; }

    public string? ClientId { get; set; }

    public bool? ServerSideTokenCheck { get; set; }
}

public sealed class RoleMappingDocument
{
    public string? Type { get; set; }

    public string? AmbiguousRoleResolution { get; set; }

    public RulesConfigurationDocument? RulesConfiguration { get; set; }
}

public sealed class RulesConfigurationDocument
{
    public List<MappingRuleDocument>? Rules { get; set; }
}

public sealed class MappingRuleDocument
{
    public string? Claim { get; set; }

    public string? MatchType { get; set; }

    public string? Value { get; set; }

    /// <summary>A role ARN, or a role's name (resolved to its ARN).</summary>
    public string? RoleARN { get; set; }
}

public sealed class PrincipalTagDocument
{
    public bool UseDefaults { get; set; }

    public Dictionary<string, string>? PrincipalTags { get; set; }
}

/// <summary>One expression rule (docs/expression-rules.md), written as the admin API takes it.</summary>
public sealed class ExpressionRuleDocument
{
    public string? Condition { get; set; }

    public string? Role { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public string? SessionPolicy { get; set; }

    public int? DurationSeconds { get; set; }
}
