using IdentityBroker.Iam.Roles;
using IdentityBroker.UserPools.Codes;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Storage;

/// <summary>What every store's <c>AddXStore</c> ends with: the one store object serves each contract.</summary>
public static class StoreRegistration
{
    /// <summary>Registers <typeparamref name="TStore"/> (already registered as a singleton) under each store contract.</summary>
    public static IServiceCollection AddStoreContracts<TStore>(this IServiceCollection services)
        where TStore : class, IPoolStore, IIdentityStore, IKeyStore, IIamStore, ISamlProviderStore, IUserPoolStore, IUserStore,
            IOneTimeCodeStore, IUserPoolSessionStore, IUserPoolGroupStore, IUserPoolTagStore,
            IUserPoolIdentityProviderStore, UserPools.Domains.IUserPoolDomainStore, UserPools.OAuth.IAuthorizationCodeStore,
            UserPools.ResourceServers.IResourceServerStore, IUiCustomizationStore,
            UserPools.SignIn.ISignInFailureStore, Audit.IAuditStore, IIdentityLifecycleStore, IIdentityPoolTagStore, IRevocationStore,
            Sync.ISyncStore, IConfigurationStore, ISamlSessionStore
    {
        services.AddSingleton<IPoolStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IIdentityStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IIamStore>(sp => new RoleCachingIamStore(sp.GetRequiredService<TStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISamlProviderStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserPoolStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IOneTimeCodeStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserPoolSessionStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserPoolGroupStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserPoolTagStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUserPoolIdentityProviderStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<UserPools.Domains.IUserPoolDomainStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<UserPools.OAuth.IAuthorizationCodeStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<UserPools.ResourceServers.IResourceServerStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUiCustomizationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<UserPools.SignIn.ISignInFailureStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Audit.IAuditStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IIdentityLifecycleStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IIdentityPoolTagStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IRevocationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Sync.ISyncStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IConfigurationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISamlSessionStore>(sp => sp.GetRequiredService<TStore>());
        return services;
    }
}
