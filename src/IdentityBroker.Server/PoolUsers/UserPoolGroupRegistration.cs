using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Tags;

namespace IdentityBroker.Server.PoolUsers;

/// <summary>The groups, memberships and tags of the user pools (docs/user-pools.md, "Groups and roles").</summary>
internal static class UserPoolGroupRegistration
{
    public static IServiceCollection AddUserPoolGroups(this IServiceCollection services)
    {
        services.AddSingleton<GroupOperations>();
        services.AddSingleton<GroupMembershipOperations>();
        services.AddSingleton<UserPoolTagOperations>();
        services.AddSingleton<UserPoolTagResources>();
        services.AddSingleton<UserPoolGroupWire>();
        return services;
    }
}
