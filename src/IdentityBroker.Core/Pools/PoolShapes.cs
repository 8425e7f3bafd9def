using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Pools;

/// <summary>Between the wire shapes of identity pools and the stored pool.</summary>
internal static class PoolShapes
{
    public static IdentityPoolShape ToShape(IdentityPool pool) => new()
    {
        IdentityPoolId = pool.IdentityPoolId,
        IdentityPoolName = pool.IdentityPoolName,
        AllowUnauthenticatedIdentities = pool.AllowUnauthenticatedIdentities,
        AllowClassicFlow = pool.AllowClassicFlow,
        SupportedLoginProviders = pool.SupportedLoginProviders is { Count: > 0 } p ? new(p) : null,
        DeveloperProviderName = pool.DeveloperProviderName,
        OpenIdConnectProviderARNs = pool.OpenIdConnectProviderARNs is { Count: > 0 } o ? [.. o] : null,
        CognitoIdentityProviders = pool.CognitoIdentityProviders is { Count: > 0 } c ? [.. c] : null,
        SamlProviderARNs = pool.SamlProviderARNs is { Count: > 0 } s ? [.. s] : null,
        IdentityPoolTags = pool.IdentityPoolTags is { Count: > 0 } t ? new(t) : null,
    };

    /// <summary>Replace semantics (UpdateIdentityPool): what the request leaves out is reset; roles and mappings are kept.</summary>
    public static IdentityPool Apply(IdentityPoolShape shape, IdentityPool current) => current with
    {
        IdentityPoolName = shape.IdentityPoolName!,
        AllowUnauthenticatedIdentities = shape.AllowUnauthenticatedIdentities!.Value,
        AllowClassicFlow = shape.AllowClassicFlow,
        SupportedLoginProviders = shape.SupportedLoginProviders,
        DeveloperProviderName = shape.DeveloperProviderName ?? current.DeveloperProviderName,
        OpenIdConnectProviderARNs = shape.OpenIdConnectProviderARNs,
        CognitoIdentityProviders = shape.CognitoIdentityProviders,
        SamlProviderARNs = shape.SamlProviderARNs,
        IdentityPoolTags = shape.IdentityPoolTags ?? current.IdentityPoolTags,
    };

    public static IdentityPool Create(string poolId, CreateIdentityPoolRequest request, DateTimeOffset now) => new()
    {
        IdentityPoolId = poolId,
        IdentityPoolName = request.IdentityPoolName!,
        AllowUnauthenticatedIdentities = request.AllowUnauthenticatedIdentities!.Value,
        AllowClassicFlow = request.AllowClassicFlow,
        SupportedLoginProviders = request.SupportedLoginProviders,
        DeveloperProviderName = request.DeveloperProviderName,
        OpenIdConnectProviderARNs = request.OpenIdConnectProviderARNs,
        CognitoIdentityProviders = request.CognitoIdentityProviders,
        SamlProviderARNs = request.SamlProviderARNs,
        IdentityPoolTags = request.IdentityPoolTags,
        CreationDate = now,
    };
}
