using IdentityBroker.Audit;
using IdentityBroker.Observability;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Storage.Redis;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// The audit trail (docs/audit.md): <c>Broker:Audit:*</c> bound and validated at start-up, the call observer and its background
/// writer, the JSON-lines file sink, and CloudTrail's LookupEvents behind the edge. With <c>Enabled</c> false only the recording
/// stops; LookupEvents still reads what was recorded.
/// </summary>
internal static class AuditRegistration
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        services.AddAwsService<CloudTrailEndpoint>(CloudTrailEndpoint.Route);
        services.AddAwsService(CloudTrailEndpoint.ShortRoute, sp => sp.GetRequiredService<CloudTrailEndpoint>());
        services.AddSingleton<AdminCallAudit>();
        if (!configuration.GetValue(AuditOptions.Section + ":Enabled", true))
        {
            return services;
        }

        services.AddSingleton<AuditTrail>();
        services.AddSingleton<ICallObserver>(sp => sp.GetRequiredService<AuditTrail>());
        services.AddSingleton<AuditFileSink>();
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<IAuditStore>();
            if (store is RedisBrokerStore redis)
            {
                redis.AuditMaxLength = sp.GetRequiredService<IOptions<AuditOptions>>().Value.RedisMaxLength;
            }

            return ActivatorUtilities.CreateInstance<AuditWriter>(sp, store);
        });
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        return services;
    }
}
