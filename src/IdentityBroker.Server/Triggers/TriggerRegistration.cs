using IdentityBroker.UserPools.Triggers;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Triggers;

/// <summary>
/// The user-pool triggers: <c>Broker:Triggers:Functions:&lt;ARN&gt;</c> (URL) and <c>Broker:Triggers:Secrets:&lt;ARN&gt;</c>
/// read and validated at start-up, the outbound HTTP client, the trigger classes the flows call.
/// </summary>
internal static class TriggerRegistration
{
    public static IServiceCollection AddUserPoolTriggers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<TriggerOptions>, TriggerOptionsValidator>();
        services.AddOptions<TriggerOptions>().Configure(o => Read(configuration, o)).ValidateOnStart();
        // Handler logs would print each function URL per call; failures are logged once by HttpTriggerFunctions.
        services.AddHttpClient(TriggerOptions.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<ITriggerFunctions, HttpTriggerFunctions>();
        services.AddSingleton<TriggerInvoker>();
        services.AddSingleton<LifecycleTriggers>();
        services.AddSingleton<TokenTriggers>();
        services.AddSingleton<UserMigration>();
        services.AddSingleton<CustomAuthTriggers>();
        services.AddSingleton<CustomAuthFlow>();
        services.AddSingleton<MessageTriggers>();
        return services;
    }

    /// <summary>
    /// An ARN holds colons, the configuration path separator, so the section cannot be bound as a dictionary: its leaves
    /// are read with their paths relative to the section, which gives each ARN back whole.
    /// </summary>
    private static void Read(IConfiguration configuration, TriggerOptions options)
    {
        foreach (var (arn, url) in configuration.GetSection(TriggerOptions.Section + ":Functions").AsEnumerable(makePathsRelative: true))
        {
            if (url is not null)
            {
                options.Functions[arn] = url;
            }
        }

        foreach (var (arn, secret) in configuration.GetSection(TriggerOptions.Section + ":Secrets").AsEnumerable(makePathsRelative: true))
        {
            if (secret is not null)
            {
                options.Secrets[arn] = secret;
            }
        }
    }
}
