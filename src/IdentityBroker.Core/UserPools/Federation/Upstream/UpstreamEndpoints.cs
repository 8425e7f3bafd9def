using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Social;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// Where a provider's authorization and token endpoints are, which rule its ID tokens are read with, and where its user's
/// attributes are read with the access token (Facebook's and Amazon's profile API; an OIDC provider's userinfo endpoint).
/// </summary>
internal sealed record UpstreamEndpoints(Uri Authorize, Uri Token, JwtRule? IdTokenRule, Uri? Profile);

/// <summary>
/// Resolves <see cref="UpstreamEndpoints"/>: an OIDC provider's from its details or its issuer's discovery document (read
/// through the broker's one key cache), the public providers' from their details (filled from <c>Broker:Providers</c>).
/// </summary>
public sealed class UpstreamDirectory(IssuerKeyCache cache, BrokerOptions options)
{
    internal async Task<UpstreamEndpoints?> ResolveAsync(PoolIdentityProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var clientId = provider.Detail("client_id") ?? string.Empty;
        switch (provider.ProviderType)
        {
            case IdentityProviderTypes.Oidc:
                return await OidcAsync(provider, clientId, cancellationToken).ConfigureAwait(false);
            case IdentityProviderTypes.Google:
                return Fixed(provider, JwtRules.Google(options.Providers.Google, [clientId], options.Oidc), null);
            case IdentityProviderTypes.SignInWithApple:
                return Fixed(provider, JwtRules.Apple(options.Providers.Apple, [clientId], options.Oidc), null);
            case IdentityProviderTypes.Facebook or IdentityProviderTypes.LoginWithAmazon:
                return Fixed(provider, null, Url(provider.Detail("attributes_url")));
            default:
                return null;
        }
    }

    private async Task<UpstreamEndpoints?> OidcAsync(PoolIdentityProvider provider, string clientId, CancellationToken cancellationToken)
    {
        var issuer = provider.Detail("oidc_issuer")!;
        var jwksUri = provider.Detail("jwks_uri");
        var rule = JwtRules.PoolOidcProvider(issuer, clientId, jwksUri, options.Oidc);
        // attributes_url is Cognito's name for the userinfo endpoint; without it, discovery's userinfo_endpoint.
        if (jwksUri is not null)
        {
            return Fixed(provider, rule, Url(provider.Detail("attributes_url")));
        }

        var discovered = await cache.GetAsync(DiscoveredJwks.Of(issuer), null, cancellationToken).ConfigureAwait(false);
        var configuration = discovered.Keys?.Configuration;
        return Url(configuration?.AuthorizationEndpoint) is { } authorize && Url(configuration?.TokenEndpoint) is { } token
            ? new UpstreamEndpoints(authorize, token, rule, Url(provider.Detail("attributes_url")) ?? Url(configuration?.UserInfoEndpoint))
            : null;
    }

    private static UpstreamEndpoints? Fixed(PoolIdentityProvider provider, JwtRule? rule, Uri? profile) =>
        Url(provider.Detail("authorize_url")) is { } authorize && Url(provider.Detail("token_url")) is { } token
            ? new UpstreamEndpoints(authorize, token, rule, profile)
            : null;

    /// <summary>https, or http on a loopback host only (the broker's rule for every outbound identity endpoint).</summary>
    private static Uri? Url(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && Iam.OidcProviders.OidcProviderUrl.IsAllowedScheme(uri) ? uri : null;
}
