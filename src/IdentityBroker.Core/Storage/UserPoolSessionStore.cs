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

    /// <summary>
    /// Refresh-token rotation, a compare-and-set: stores <paramref name="replacement"/> (same pool and session id) only when
    /// the stored session is live (not revoked) and its current refresh-token hash is still <paramref name="expectedRefreshTokenHash"/>,
    /// atomically, so of two concurrent rotations from the same state one wins.
    /// </summary>
    /// <returns>False when the session is missing or revoked, or its refresh token was already replaced.</returns>
    Task<bool> TryReplaceRefreshTokenAsync(UserPoolSession replacement, string expectedRefreshTokenHash, CancellationToken cancellationToken);

    /// <returns>False when the session does not exist (revoking twice answers true twice).</returns>
    Task<bool> RevokeSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken);

    /// <summary>Revokes every session of the user <paramref name="sub"/> in the pool, atomically.</summary>
    /// <returns>How many sessions were live before.</returns>
    Task<int> RevokeUserSessionsAsync(string userPoolId, string sub, CancellationToken cancellationToken);
}
