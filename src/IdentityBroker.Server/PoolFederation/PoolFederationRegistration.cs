using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.Federation;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.PoolFederation;

/// <summary>The identity providers of the user pools and their federated users (docs/user-pools.md, "Federation into a user pool").</summary>
internal static class PoolFederationRegistration
{
    public static IServiceCollection AddPoolFederation(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ProviderDetailsRules(sp.GetRequiredService<IOptions<BrokerOptions>>().Value.Providers));
        services.AddSingleton<IdentityProviderOperations>();
        services.AddSingleton<SamlCertificates>();
        services.AddSingleton<ProviderLinkOperations>();
        services.AddSingleton<FederatedUsers>();
        services.AddSingleton<UserPoolFederationWire>();
        services.AddSingleton<IdentityBroker.UserPools.Federation.Upstream.FederationStates>();
        services.AddSingleton(sp => new IdentityBroker.UserPools.Federation.Upstream.UpstreamDirectory(
            sp.GetRequiredService<IdentityBroker.Federation.Jwt.IssuerKeyCache>(), sp.GetRequiredService<IOptions<BrokerOptions>>().Value));
        services.AddSingleton(sp => new IdentityBroker.UserPools.Federation.Upstream.UpstreamSignIn(
            sp.GetRequiredService<IdentityBroker.UserPools.Federation.Upstream.UpstreamDirectory>(),
            sp.GetRequiredService<IdentityBroker.Federation.Jwt.JwtReader>(), sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<BrokerOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new IdentityBroker.UserPools.Federation.Upstream.SamlProviderMetadata(
            sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<BrokerOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IdentityBroker.UserPools.Federation.Upstream.SamlServiceProviderKeys>();
        return services;
    }
}
