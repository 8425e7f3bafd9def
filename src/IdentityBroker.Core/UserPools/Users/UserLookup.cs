using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// Finds the user a name given to an admin operation or a sign-in names: its username (folded per the pool's case
/// sensitivity), else a sign-in attribute the pool allows (UsernameAttributes, verified aliases, preferred_username),
/// else its sub.
/// </summary>
public sealed class UserLookup(IUserStore store)
{
    public async Task<PoolUser?> FindAsync(UserPool pool, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        foreach (var key in UserKeys.Candidates(pool, name))
        {
            if (await store.FindUserAsync(pool.Id, key, cancellationToken).ConfigureAwait(false) is { } user)
            {
                return user;
            }
        }

        return Guid.TryParseExact(name, "D", out _)
            ? await store.GetUserAsync(pool.Id, name.ToLowerInvariant(), cancellationToken).ConfigureAwait(false)
            : null;
    }
}
