using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.PoolUsers;

/// <summary>The user operations of the user pools, and the password hashing they use (cost validated at start-up).</summary>
internal static class UserPoolUserRegistration
{
    public static IServiceCollection AddUserPoolUsers(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>();
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.Section).ValidateOnStart();
        services.AddSingleton<PasswordHashes>();
        services.AddSingleton<UserPasswords>();
        services.AddSingleton<UserLookup>();
        services.AddSingleton<UserWrites>();
        services.AddSingleton<UserOperations>();
        services.AddSingleton<UserAttributeOperations>();
        services.AddSingleton<UserPoolSchemaOperations>();
        services.AddSingleton<UserPoolUserOperations>();
        return services;
    }
}
