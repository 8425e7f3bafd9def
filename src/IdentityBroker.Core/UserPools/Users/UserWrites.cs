using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// The read-change-write steps every user operation shares: find the user by any name the pool accepts, apply a pure
/// change, store it by compare-and-swap (a concurrent write makes it read and apply again), and answer a taken key with
/// Cognito's error for that key.
/// </summary>
public sealed class UserWrites(IUserPoolStore pools, IUserStore store, UserLookup lookup, TimeProvider time)
{
    /// <summary>How often a change is re-applied after losing a compare-and-swap to a concurrent write.</summary>
    private const int Attempts = 5;

    /// <summary>The pool (null when missing) and the user or the error naming what is missing.</summary>
    public async Task<(UserPool? Pool, Result<PoolUser> User)> FindAsync(string userPoolId, string username, CancellationToken cancellationToken)
    {
        if (await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return (null, UserPoolErrors.UserPoolNotFound(userPoolId));
        }

        var user = await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false);
        return (pool, user is null ? UserErrors.UserNotFound : user);
    }

    /// <summary>Applies <paramref name="change"/> to the current user and stores it with its keys; the stored user.</summary>
    public async Task<Result<PoolUser>> ChangeAsync(
        string userPoolId, string username, Func<UserPool, PoolUser, Result<PoolUser>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (pool, found) = await FindAsync(userPoolId, username, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return found;
            }

            var changed = change(pool!, found.Value);
            if (!changed.IsSuccess)
            {
                return changed;
            }

            var user = changed.Value with { LastModifiedDate = time.GetUtcNow() };
            var write = await store.UpdateUserAsync(user, UserKeys.Of(pool!, user), cancellationToken).ConfigureAwait(false);
            switch (write.Status)
            {
                case UserWriteStatus.Written:
                    return write.User!;
                case UserWriteStatus.KeyTaken:
                    return KeyTaken(pool!, write.TakenKey!, creating: false);
            }
        }

        return UserErrors.ConcurrentModification;
    }

    /// <summary>
    /// Stores a new user. With <paramref name="forceAlias"/>, an email or phone alias another user holds moves to the new
    /// user: the holder's attribute is marked unverified, which frees it (AdminCreateUser's ForceAliasCreation).
    /// </summary>
    public async Task<Result<PoolUser>> CreateAsync(UserPool pool, PoolUser user, bool forceAlias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var write = await store.TryCreateUserAsync(user, UserKeys.Of(pool, user), cancellationToken).ConfigureAwait(false);
            switch (write.Status)
            {
                case UserWriteStatus.Written:
                    return write.User!;
                case UserWriteStatus.NoPool:
                    return UserPoolErrors.UserPoolNotFound(pool.Id);
                case UserWriteStatus.KeyTaken when forceAlias && IsMovableAlias(pool, write.TakenKey!):
                    if (await UnverifyHolderAsync(pool, write.TakenKey!, cancellationToken).ConfigureAwait(false) is { } failed)
                    {
                        return failed;
                    }

                    break;
                case UserWriteStatus.KeyTaken:
                    return KeyTaken(pool, write.TakenKey!, creating: true);
                default:
                    // A sub collision: draw another.
                    user = user with { Sub = Guid.NewGuid().ToString() };
                    break;
            }
        }

        return UserErrors.ConcurrentModification;
    }

    /// <summary>
    /// A taken username is UsernameExistsException "User account already exists"; a taken username attribute at creation
    /// is UsernameExistsException, a taken alias (or a username attribute changed onto another user's) AliasExistsException.
    /// </summary>
    private static AwsError KeyTaken(UserPool pool, string key, bool creating)
    {
        var kind = UserKeys.KindOf(key);
        if (kind == UserKeys.UsernameKind)
        {
            return UserErrors.UsernameExists;
        }

        var usernameAttribute = (pool.UsernameAttributes ?? []).Contains(kind);
        return UserErrors.AttributeTaken(usernameAttribute && creating ? "UsernameExistsException" : "AliasExistsException", kind);
    }

    private static bool IsMovableAlias(UserPool pool, string key)
    {
        var kind = UserKeys.KindOf(key);
        return kind is StandardAttributes.Email or StandardAttributes.PhoneNumber && (pool.AliasAttributes ?? []).Contains(kind);
    }

    private async Task<AwsError?> UnverifyHolderAsync(UserPool pool, string key, CancellationToken cancellationToken)
    {
        if (await store.FindUserAsync(pool.Id, key, cancellationToken).ConfigureAwait(false) is not { } holder)
        {
            return null;
        }

        var flag = UserKeys.KindOf(key) + "_verified";
        var changed = await ChangeAsync(pool.Id, holder.Sub, (_, user) => user with
        {
            Attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal) { [flag] = "false" },
        }, cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? null : changed.Error;
    }
}
