namespace IdentityBroker.UserPools.Sessions;

/// <summary>
/// One sign-in of a user through an app client: the <c>origin_jti</c> of every token issued from it, and its refresh token
/// (kept as a SHA-256 hash only). Revoked by RevokeToken (this session) or GlobalSignOut (every session of the user).
/// </summary>
/// <param name="SessionId">The tokens' <c>origin_jti</c>.</param>
/// <param name="RefreshTokenHash">Lower-case hex SHA-256 of the refresh token's secret part.</param>
/// <param name="ExpiresAt">When the refresh token expires (the client's RefreshTokenValidity after sign-in; a rotated token keeps it).</param>
/// <param name="PreviousRefreshTokenHash">With refresh-token rotation: the hash of the token the current one replaced.</param>
/// <param name="PreviousValidUntil">Until when the replaced token is still honoured (rotation time + RetryGracePeriodSeconds).</param>
public sealed record UserPoolSession(
    string UserPoolId,
    string SessionId,
    string ClientId,
    string Sub,
    string Username,
    string RefreshTokenHash,
    DateTimeOffset AuthTime,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Revoked = false,
    string? PreviousRefreshTokenHash = null,
    DateTimeOffset? PreviousValidUntil = null)
{
    /// <summary>The scopes of an OAuth 2.0 sign-in (kept for its refreshes); null for the user-pools API's default.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }
}
