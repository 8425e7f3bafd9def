using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.SignIn;

namespace IdentityBroker.Server.PoolUsers;

/// <summary>The sign-in flows of the user pools (docs/user-pools.md, "Sign-in").</summary>
internal static class UserPoolSignInRegistration
{
    public static IServiceCollection AddUserPoolSignIn(this IServiceCollection services)
    {
        services.AddSingleton<SignInSessions>();
        services.AddSingleton<UnknownUsers>();
        services.AddSingleton<SignInAttempts>();
        services.AddSingleton<SignInSteps>();
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton<SrpSignIn>();
        services.AddSingleton<RefreshSignIn>();
        services.AddSingleton<NewPasswordChallenge>();
        services.AddSingleton<UserPoolSignIn>();
        services.AddSingleton<UserPoolSignInOperations>();
        return services;
    }
}
