using IdentityBroker.Identities.Lifecycle;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Lifecycle;

/// <summary><c>Broker:Lifecycle</c> (docs/identities.md, "Lifecycle"): last seen, the guest sweeper, bulk deletion.</summary>
internal static class LifecycleRegistration
{
    public static IServiceCollection AddIdentityLifecycle(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<LifecycleOptions>, LifecycleOptionsValidator>();
        services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.Section).ValidateOnStart();
        services.AddSingleton<LastSeenTracker>();
        services.AddSingleton<IBulkDeletionAudit, AuditedBulkDeletion>();
        services.AddSingleton<BulkDeletion>();
        services.AddSingleton<GuestSweep>();
        services.AddHostedService<GuestSweeper>();
        return services;
    }
}
