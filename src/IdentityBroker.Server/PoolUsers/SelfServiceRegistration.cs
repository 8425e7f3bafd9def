using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.CompromisedPasswords;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.SelfService;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.PoolUsers;

/// <summary>
/// The self-service user operations and the compromised-password check: <c>Broker:UserPools:CompromisedPasswords:*</c>
/// bound and validated at start-up (a missing file or a plain-http remote URL stops the broker with the key to fix).
/// </summary>
internal static class SelfServiceRegistration
{
    public static IServiceCollection AddUserPoolSelfService(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<CompromisedPasswordsOptions>, CompromisedPasswordsOptionsValidator>();
        services.AddOptions<CompromisedPasswordsOptions>().BindConfiguration(CompromisedPasswordsOptions.Section).ValidateOnStart();
        // The client's own timeout is the options' Timeout (applied per call); the handler logs would print the range URL per call.
        services.AddHttpClient(CompromisedPasswordsOptions.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<CompromisedPasswordCheck>();
        services.AddSingleton<CompromisedPasswordGate>();
        services.AddSingleton<RiskConfigurationOperations>();
        services.AddSingleton<PublicClients>();
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<SignUpOperations>();
        services.AddSingleton<PasswordResetOperations>();
        services.AddSingleton<OwnUserOperations>();
        services.AddSingleton<UserPoolSelfServiceWire>();
        return services;
    }
}
