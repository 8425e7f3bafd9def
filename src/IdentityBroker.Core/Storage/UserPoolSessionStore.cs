using IdentityBroker.UserPools.Sessions;

namespace IdentityBroker.Storage;

/// <summary>
/// Where the sign-in sessions of the broker's user pools live: one per sign-in, keyed by pool and session id (the tokens'
/// <c>origin_jti</c>), holding the hash of its refresh token. A session past <see cref="UserPoolSession.ExpiresAt"/> may be
/// forgotten by the store; readers treat a missing session as revoked.
/// </summary>
public interface IUserPoolSessionStore
{
    /// <returns>False when a session with this id exists in the pool.</returns>
    Task<bool> TryCreateSessionAsync(UserPoolSession session, CancellationToken cancellationToken);

    Task<UserPoolSession?> GetSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken);

    /// <returns>False when the session does not exist (revoking twice answers true twice).</returns>
    Task<bool> RevokeSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken);

    /// <summary>Revokes every session of the user <paramref name="sub"/> in the pool, atomically.</summary>
    /// <returns>How many sessions were live before.</returns>
    Task<int> RevokeUserSessionsAsync(string userPoolId, string sub, CancellationToken cancellationToken);
}
