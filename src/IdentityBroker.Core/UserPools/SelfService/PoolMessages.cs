using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>The message texts a pool sends its codes in.</summary>
public static class PoolMessages
{
    public static MessageTemplates Templates(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Settings.Messages ?? MessageTemplates.Default;
    }
}
