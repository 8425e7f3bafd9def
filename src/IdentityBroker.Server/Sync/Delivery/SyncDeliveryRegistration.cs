using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Sync.Delivery;

/// <summary>
/// Cognito Sync's delivery side: push sync (<c>Broker:Sync:Push</c>, validated at start-up), the Sync trigger of Cognito
/// Events (through the user-pool triggers' functions), bulk publish and its worker. Call after the core's registration:
/// the Sync trigger replaces the core's pass-through hook.
/// </summary>
internal static class SyncDeliveryRegistration
{
    public static IServiceCollection AddSyncDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<SyncPushOptions>, SyncPushOptionsValidator>();
        services.AddOptions<SyncPushOptions>().Configure(o => Read(configuration, o)).ValidateOnStart();
        // The body carries the device token: the client's request loggers are removed.
        services.AddHttpClient(SyncPushOptions.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<PushSyncQueue>();
        services.AddSingleton<ISyncChangeObserver>(sp => sp.GetRequiredService<PushSyncQueue>());
        services.AddSingleton<PushWebhookSender>();
        services.AddHostedService<PushSyncWorker>();

        services.RemoveAll<ISyncEventHook>();
        services.AddSingleton<ISyncEventHook, SyncTriggerInvoker>();

        // Each store implements bulk publish's contract beside the core's (its *BrokerStore.SyncStream.cs partial).
        services.AddSingleton(sp => (ISyncBulkPublishStore)sp.GetRequiredService<ISyncStore>());
        services.AddSingleton<SyncBulkPublisher>();
        services.RemoveAll<ISyncBulkPublisher>();
        services.AddSingleton<ISyncBulkPublisher>(sp => sp.GetRequiredService<SyncBulkPublisher>());
        services.AddHostedService<BulkPublishWorker>();
        return services;
    }

    /// <summary>
    /// <c>Broker:Sync:Push:&lt;Platform&gt;:WebhookUrl</c> per platform, and the delivery settings beside them. A child section
    /// that is neither a platform nor a setting is kept as unknown, so a misspelt platform fails start-up instead of silently
    /// notifying nobody.
    /// </summary>
    private static void Read(IConfiguration configuration, SyncPushOptions options)
    {
        var section = configuration.GetSection(SyncPushOptions.Section);
        section.Bind(options);
        foreach (var child in section.GetChildren())
        {
            if (SyncNames.Platforms.Contains(child.Key, StringComparer.Ordinal))
            {
                if (child["WebhookUrl"] is { } url)
                {
                    options.WebhookUrls[child.Key] = url;
                }
            }
            else if (child.Key is not (nameof(SyncPushOptions.QueueCapacity) or nameof(SyncPushOptions.MaxAttempts)
                or nameof(SyncPushOptions.RetryDelay) or nameof(SyncPushOptions.Timeout)))
            {
                options.UnknownPlatforms.Add(child.Key);
            }
        }
    }
}
