using IdentityBroker.Protocol.Services;
using IdentityBroker.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityBroker.Server.Sync;

/// <summary>
/// Cognito Sync behind the edge (docs/sync.md). The Sync trigger hook defaults to passing records through; the delivery
/// side replaces it (and registers its <see cref="ISyncChangeObserver"/>s and <see cref="ISyncBulkPublisher"/>).
/// </summary>
internal static class SyncRegistration
{
    public static IServiceCollection AddCognitoSync(this IServiceCollection services)
    {
        services.AddSingleton<SyncSessionTokens>();
        services.AddSingleton<SyncOperations>();
        services.AddSingleton<SyncPoolOperations>();
        services.AddSingleton<SyncAuthorization>();
        services.TryAddSingleton<ISyncEventHook, PassThroughSyncEventHook>();
        services.AddAwsService<SyncEndpoint>(SyncEndpoint.Route);
        return services;
    }
}
