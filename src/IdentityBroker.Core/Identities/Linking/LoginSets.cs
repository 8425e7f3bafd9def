using IdentityBroker.Federation;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities.Linking;

/// <summary>From validated logins to what the store links.</summary>
public static class LoginSets
{
    /// <summary>The logins to link: every validated login except a proof of identity (the broker's own token).</summary>
    public static List<LoginKey> Linkable(IEnumerable<ValidatedLogin> logins) =>
        logins.Where(l => l.IsLinkable).Select(l => new LoginKey(l.ProviderKey, l.Subject)).ToList();

    /// <summary>The pool's linking rules: its developer provider may hold several users on one identity.</summary>
    public static LinkPolicy PolicyOf(IdentityPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.DeveloperProviderName is null ? LinkPolicy.Default : new LinkPolicy(pool.DeveloperProviderName);
    }
}
