using IdentityBroker.Credentials;
using IdentityBroker.Limits;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Limits;

/// <summary><c>Broker:Limits</c> (docs/limits.md): the edge's rate limits and the guest quota; each store registers its counters.</summary>
internal static class LimitsRegistration
{
    public static IServiceCollection AddLimits(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<OperationLimits>();
        services.AddSingleton<GuestQuota>();
        services.AddOptions<CredentialsOptions>().BindConfiguration(CredentialsOptions.Section).ValidateOnStart();
        services.AddSingleton<CredentialDuration>();
        return services;
    }
}
