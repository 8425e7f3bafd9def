using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Storage;

/// <summary>Where the Cognito user pools and their app clients live. Deleting a pool deletes its clients.</summary>
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

    /// <returns>False when the client's pool does not exist or the client id is taken.</returns>
    Task<bool> TryCreateClientAsync(UserPoolClient client, CancellationToken cancellationToken);

    Task<UserPoolClient?> GetClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// The client with this id in whichever pool holds it: the unsigned operations (SignUp, ForgotPassword, …) name only
    /// the ClientId, as in AWS. Client ids are drawn at random, so one id names at most one client.
    /// </summary>
    Task<UserPoolClient?> FindClientAsync(string clientId, CancellationToken cancellationToken);

    /// <returns>False when the client does not exist.</returns>
    Task<bool> UpdateClientAsync(UserPoolClient client, CancellationToken cancellationToken);

    /// <returns>False when the client did not exist.</returns>
    Task<bool> DeleteClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken);

    /// <summary>A pool's clients in creation order, <paramref name="maxResults"/> at a time.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<UserPoolClient>> ListClientsAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken);
}
