using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Storage;

/// <summary>
/// Where the users of the user pools live. A user is keyed by its pool and <see cref="PoolUser.Sub"/>, and holds a set
/// of unique keys (<see cref="UserKeys"/>: its username and its sign-in attributes) that the store claims in the same
/// atomic step as the user's write: two users of a pool never hold the same key, under any concurrency. Deleting a
/// user frees its keys; deleting a user pool deletes its users (<see cref="IUserPoolStore.DeleteUserPoolAsync"/>).
/// </summary>
public interface IUserStore
{
    /// <summary>Stores <paramref name="user"/> at version 1 with <paramref name="keys"/>, or nothing.</summary>
    /// <returns>
    /// <see cref="UserWriteStatus.Written"/> with the stored user; <see cref="UserWriteStatus.KeyTaken"/> naming the first
    /// key another user holds; <see cref="UserWriteStatus.NoPool"/>; <see cref="UserWriteStatus.Conflict"/> when the sub exists.
    /// </returns>
    Task<UserWrite> TryCreateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    Task<PoolUser?> GetUserAsync(string userPoolId, string sub, CancellationToken cancellationToken);

    /// <summary>The user holding <paramref name="key"/> (a <see cref="UserKeys"/> key), or null.</summary>
    Task<PoolUser?> FindUserAsync(string userPoolId, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Compare-and-swap: replaces the user stored at <paramref name="user"/>'s <see cref="PoolUser.Version"/> with it at
    /// the next version, and its keys with <paramref name="keys"/> (keys it no longer lists are freed), or changes nothing.
    /// </summary>
    /// <returns>
    /// <see cref="UserWriteStatus.Written"/> with the stored user; <see cref="UserWriteStatus.KeyTaken"/>;
    /// <see cref="UserWriteStatus.Conflict"/> when the stored version differs; <see cref="UserWriteStatus.NotFound"/>.
    /// </returns>
    Task<UserWrite> UpdateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <returns>False when the user did not exist.</returns>
    Task<bool> DeleteUserAsync(string userPoolId, string sub, CancellationToken cancellationToken);

    /// <summary>
    /// A pool's users in creation order: the next <paramref name="maxResults"/> after <paramref name="nextToken"/> that
    /// <paramref name="where"/> accepts (all when null). The token names the last user returned.
    /// </summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<PoolUser>> ListUsersAsync(
        string userPoolId, int maxResults, string? nextToken, Func<PoolUser, bool>? where, CancellationToken cancellationToken);
}

public enum UserWriteStatus
{
    Written,
    KeyTaken,
    NoPool,
    NotFound,

    /// <summary>Create: the sub exists. Update: another write came first (the stored version is not the one read).</summary>
    Conflict,
}

/// <summary>What a user write did: the stored user when written, the key held by another user when taken.</summary>
public sealed record UserWrite(UserWriteStatus Status, PoolUser? User = null, string? TakenKey = null)
{
    public static UserWrite Of(UserWriteStatus status) => new(status);
}
