namespace IdentityBroker.Pools;

/// <summary>An identity pool as stored: its configuration, default roles and role mappings.</summary>
public sealed record IdentityPool
{
    public required string IdentityPoolId { get; init; }

    public required string IdentityPoolName { get; init; }

    public required bool AllowUnauthenticatedIdentities { get; init; }

    /// <summary>Null when never set: the real service then allows the classic flow (observed of Cognito; the API reference gives no default).</summary>
    public bool? AllowClassicFlow { get; init; }

    public IReadOnlyDictionary<string, string>? SupportedLoginProviders { get; init; }

    public string? DeveloperProviderName { get; init; }

    public IReadOnlyList<string>? OpenIdConnectProviderARNs { get; init; }

    public IReadOnlyList<CognitoIdentityProvider>? CognitoIdentityProviders { get; init; }

    public IReadOnlyList<string>? SamlProviderARNs { get; init; }

    public IReadOnlyDictionary<string, string>? IdentityPoolTags { get; init; }

    /// <summary>Default roles keyed <c>authenticated</c> / <c>unauthenticated</c>.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, RoleMapping>? RoleMappings { get; init; }

    /// <summary>Principal-tag (attributes for access control) maps by IdentityProviderName (SetPrincipalTagAttributeMap).</summary>
    public IReadOnlyDictionary<string, PrincipalTagMap>? PrincipalTagMaps { get; init; }

    /// <summary>Ordered expression rules (broker extension, docs/expression-rules.md); checked before RoleMappings.</summary>
    public IReadOnlyList<ExpressionRule>? ExpressionRules { get; init; }

    /// <summary>The pool's own limits (broker extension, docs/limits.md); null for none.</summary>
    public PoolLimits? Limits { get; init; }

    public DateTimeOffset CreationDate { get; init; }

    public string? RoleFor(bool authenticated) =>
        Roles.TryGetValue(authenticated ? RoleTypes.Authenticated : RoleTypes.Unauthenticated, out var arn) ? arn : null;
}

public static class RoleTypes
{
    public const string Authenticated = "authenticated";
    public const string Unauthenticated = "unauthenticated";
}

public sealed record CognitoIdentityProvider
{
    public string? ProviderName { get; init; }

    public string? ClientId { get; init; }

    public bool? ServerSideTokenCheck { get; init; }
}

/// <summary>One provider's principal-tag map: the provider's defaults, or tag key → claim (attribute) name.</summary>
public sealed record PrincipalTagMap
{
    public bool UseDefaults { get; init; }

    public IReadOnlyDictionary<string, string>? PrincipalTags { get; init; }
}

public sealed record RoleMapping
{
    public string? Type { get; init; }

    public string? AmbiguousRoleResolution { get; init; }

    public RulesConfiguration? RulesConfiguration { get; init; }
}

public sealed record RulesConfiguration
{
    public IReadOnlyList<MappingRule>? Rules { get; init; }
}

public sealed record MappingRule
{
    public string? Claim { get; init; }

    public string? MatchType { get; init; }

    public string? Value { get; init; }

    public string? RoleARN { get; init; }
}
