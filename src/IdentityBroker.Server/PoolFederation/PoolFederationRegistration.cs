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
        services.AddSingleton<ProviderLinkOperations>();
        services.AddSingleton<FederatedUsers>();
        services.AddSingleton<UserPoolFederationWire>();
        return services;
    }
}
