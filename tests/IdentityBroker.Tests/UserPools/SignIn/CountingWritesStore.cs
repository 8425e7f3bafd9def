using IdentityBroker.Storage;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.UserPools.SignIn;

/// <summary>The user and unknown-name failure stores of a real store, counting every write that passes through.</summary>
internal sealed class CountingWritesStore(IUserStore users, ISignInFailureStore failures) : IUserStore, ISignInFailureStore
{
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public Task<UserWrite> TryCreateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Counted(users.TryCreateUserAsync(user, keys, cancellationToken));

    public Task<PoolUser?> GetUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        users.GetUserAsync(userPoolId, sub, cancellationToken);

    public Task<PoolUser?> FindUserAsync(string userPoolId, string key, CancellationToken cancellationToken) =>
        users.FindUserAsync(userPoolId, key, cancellationToken);

    public Task<UserWrite> UpdateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Counted(users.UpdateUserAsync(user, keys, cancellationToken));

    public Task<bool> DeleteUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        Counted(users.DeleteUserAsync(userPoolId, sub, cancellationToken));

    public Task<Page<PoolUser>> ListUsersAsync(
        string userPoolId, int maxResults, string? nextToken, Func<PoolUser, bool>? where, CancellationToken cancellationToken) =>
        users.ListUsersAsync(userPoolId, maxResults, nextToken, where, cancellationToken);

    public Task<SignInFailures> GetSignInFailuresAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        failures.GetSignInFailuresAsync(userPoolId, key, now, cancellationToken);

    public Task<bool> ReplaceSignInFailuresAsync(
        string userPoolId, string key, SignInFailures expected, SignInFailures next, DateTimeOffset expiresAt, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        Counted(failures.ReplaceSignInFailuresAsync(userPoolId, key, expected, next, expiresAt, now, cancellationToken));

    private Task<T> Counted<T>(Task<T> write)
    {
        Interlocked.Increment(ref _writes);
        return write;
    }
}
