using Microsoft.Extensions.Options;

namespace IdentityBroker.Storage.Redis;

/// <summary>Refuses to start the Redis store with settings that cannot work, naming the key to fix.</summary>
internal sealed class RedisStoreOptionsValidation : IValidateOptions<RedisStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            failures.Add("Broker:Redis:Configuration is required when Broker:Store is 'redis' (e.g. 'redis:6379,password=...').");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add("Broker:Redis:KeyPrefix must not be empty.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero || options.OperationTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add("Broker:Redis:OperationTimeout must be greater than zero and at most 30 seconds.");
        }

        if (options.StartupRetryMaxDelay <= TimeSpan.Zero || options.StartupRetryMaxDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add("Broker:Redis:StartupRetryMaxDelay must be greater than zero and at most 5 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
