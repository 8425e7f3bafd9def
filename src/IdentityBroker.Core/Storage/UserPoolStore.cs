using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Storage;

/// <summary>Where the Cognito user pools live.</summary>
public interface IUserPoolStore
{
    /// <returns>False when a pool with this id exists.</returns>
    Task<bool> TryCreateUserPoolAsync(UserPool pool, CancellationToken cancellationToken);

    Task<UserPool?> GetUserPoolAsync(string userPoolId, CancellationToken cancellationToken);

    /// <returns>False when the pool does not exist.</returns>
    Task<bool> UpdateUserPoolAsync(UserPool pool, CancellationToken cancellationToken);

    /// <returns>False when the pool did not exist.</returns>
    Task<bool> DeleteUserPoolAsync(string userPoolId, CancellationToken cancellationToken);

    /// <summary>Pools in creation order, <paramref name="maxResults"/> at a time.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<UserPool>> ListUserPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken);
}
