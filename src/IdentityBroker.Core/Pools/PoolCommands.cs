namespace IdentityBroker.Pools;

/// <summary>What an operator configures on a pool, as CreateIdentityPool and UpdateIdentityPool give it (replace semantics).</summary>
public sealed record PoolSettings(
    string IdentityPoolName,
    bool AllowUnauthenticatedIdentities,
    bool? AllowClassicFlow,
    IReadOnlyDictionary<string, string>? SupportedLoginProviders,
    string? DeveloperProviderName,
    IReadOnlyList<string>? OpenIdConnectProviderARNs,
    IReadOnlyList<CognitoIdentityProvider>? CognitoIdentityProviders,
    IReadOnlyList<string>? SamlProviderARNs,
    IReadOnlyDictionary<string, string>? IdentityPoolTags)
{
    /// <summary>A new pool with these settings and no roles.</summary>
    public IdentityPool NewPool(string poolId, DateTimeOffset now) => new()
    {
        IdentityPoolId = poolId,
        IdentityPoolName = IdentityPoolName,
        AllowUnauthenticatedIdentities = AllowUnauthenticatedIdentities,
        AllowClassicFlow = AllowClassicFlow,
        SupportedLoginProviders = SupportedLoginProviders,
        DeveloperProviderName = DeveloperProviderName,
        OpenIdConnectProviderARNs = OpenIdConnectProviderARNs,
        CognitoIdentityProviders = CognitoIdentityProviders,
        SamlProviderARNs = SamlProviderARNs,
        IdentityPoolTags = IdentityPoolTags,
        CreationDate = now,
    };

    /// <summary>Replace semantics (UpdateIdentityPool): what the settings leave out is reset; roles and mappings are kept.</summary>
    public IdentityPool ApplyTo(IdentityPool current) => (current ?? throw new ArgumentNullException(nameof(current))) with
    {
        IdentityPoolName = IdentityPoolName,
        AllowUnauthenticatedIdentities = AllowUnauthenticatedIdentities,
        AllowClassicFlow = AllowClassicFlow,
        SupportedLoginProviders = SupportedLoginProviders,
        DeveloperProviderName = DeveloperProviderName ?? current.DeveloperProviderName,
        OpenIdConnectProviderARNs = OpenIdConnectProviderARNs,
        CognitoIdentityProviders = CognitoIdentityProviders,
        SamlProviderARNs = SamlProviderARNs,
        IdentityPoolTags = IdentityPoolTags ?? current.IdentityPoolTags,
    };
}

public sealed record CreatePool(PoolSettings Settings);

public sealed record DescribePool(string IdentityPoolId);

public sealed record UpdatePool(string IdentityPoolId, PoolSettings Settings);

public sealed record DeletePool(string IdentityPoolId);

public sealed record ListPools(int MaxResults, string? NextToken);

public sealed record SetPoolRoles(
    string IdentityPoolId, IReadOnlyDictionary<string, string> Roles, IReadOnlyDictionary<string, RoleMapping>? RoleMappings);

public sealed record GetPoolRoles(string IdentityPoolId);
