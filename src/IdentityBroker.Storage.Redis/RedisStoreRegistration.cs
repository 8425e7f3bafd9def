using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Storage.Redis;

public static class RedisStoreRegistration
{
    /// <summary>
    /// The Redis store behind every store contract, with its options from <c>Broker:Redis</c> (validated at start),
    /// the pool-cache invalidation between replicas, and start-up retries paced by <c>Broker:Redis:StartupRetryMaxDelay</c>.
    /// Connecting does not wait for Redis: the broker starts unready and becomes ready once Redis answers.
    /// </summary>
    public static IServiceCollection AddRedisStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidation>();
        services.AddOptions<RedisStoreOptions>().Bind(configuration.GetSection(RedisStoreOptions.SectionName)).ValidateOnStart();
        services.AddOptions<StoreStartupOptions>()
            .Configure<IOptions<RedisStoreOptions>>((startup, redis) => startup.RetryMaxDelay = redis.Value.StartupRetryMaxDelay);
        services.AddSingleton(sp => RedisBrokerStore.Connect(sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value));
        services.AddStoreContracts<RedisBrokerStore>();
        services.AddSingleton<Limits.IRateCounter>(sp => sp.GetRequiredService<RedisBrokerStore>()); // limits hold across replicas
        services.AddHostedService<RedisPoolCacheInvalidation>();
        return services;
    }
}
