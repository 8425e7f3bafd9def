using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.Mfa;

namespace IdentityBroker.Server.PoolUsers;

/// <summary>The MFA operations of the user pools (docs/user-pools.md, "MFA").</summary>
internal static class UserPoolMfaRegistration
{
    public static IServiceCollection AddUserPoolMfa(this IServiceCollection services)
    {
        services.AddSingleton<TotpCheck>();
        services.AddSingleton<PoolMfaConfigOperations>();
        services.AddSingleton<SoftwareTokenOperations>();
        services.AddSingleton<MfaPreferenceOperations>();
        services.AddSingleton<MfaStep>();
        services.AddSingleton<MfaChallengeAnswers>();
        services.AddSingleton<MfaSetupSessions>();
        services.AddSingleton<UserPoolMfaWire>();
        return services;
    }
}
