using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.UserPools.Sessions;

/// <summary>
/// The sessions of the broker's user pools, as the sign-in flows and the session operations use them:
/// <list type="number">
/// <item><see cref="StartAsync"/>: a sign-in succeeded; a session and its refresh token are stored, ID and access tokens issued;</item>
/// <item><see cref="RedeemAsync"/> then <see cref="RefreshAsync"/>: REFRESH_TOKEN_AUTH, new ID and access tokens, the same refresh token;</item>
/// <item><see cref="RedeemAsync"/> then <see cref="RotateAsync"/>: GetTokensFromRefreshToken on a client with refresh-token rotation;</item>
/// <item><see cref="RevokeAsync"/>: RevokeToken, one session;</item>
/// <item><see cref="SignOutUserAsync"/>: GlobalSignOut and AdminUserGlobalSignOut, every session of a user;</item>
/// <item><see cref="IsRevokedAsync"/>: asked on every access-token call and by ServerSideTokenCheck.</item>
/// </list>
/// </summary>
public sealed class UserPoolSessions(IUserPoolSessionStore store, IUserPoolStore pools, UserPoolTokenIssuer issuer, TimeProvider time)
{
    public async Task<UserPoolTokens> StartAsync(TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var refresh = RefreshToken.New(grant.UserPoolId);
        var now = time.GetUtcNow();
        var session = new UserPoolSession(grant.UserPoolId, refresh.SessionId, grant.Client.ClientId, grant.Sub, grant.Username,
            refresh.Hash(), grant.AuthTime, now, now + TokenValidities.Of(grant.Client.Settings).Refresh) { Scopes = grant.Scopes };
        if (!await store.TryCreateSessionAsync(session, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A new session id (a random GUID) was already taken.");
        }

        var tokens = await issuer.IssueAsync(grant, session.SessionId, cancellationToken).ConfigureAwait(false);
        return tokens with { RefreshToken = refresh.Encode() };
    }

    /// <summary>
    /// The live session of <paramref name="refreshToken"/>, issued to <paramref name="client"/>: what REFRESH_TOKEN_AUTH
    /// checks before it re-reads the user and calls <see cref="RefreshAsync"/>.
    /// </summary>
    public async Task<Result<UserPoolSession>> RedeemAsync(UserPoolClient client, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = RefreshToken.TryDecode(refreshToken);
        if (token is null || token.UserPoolId != client.UserPoolId)
        {
            return UserPoolTokenErrors.InvalidRefreshToken;
        }

        var session = await store.GetSessionAsync(token.UserPoolId, token.SessionId, cancellationToken).ConfigureAwait(false);
        if (session is null || session.ClientId != client.ClientId || !IsCurrentOrInGrace(token, session))
        {
            return UserPoolTokenErrors.InvalidRefreshToken;
        }

        if (session.Revoked)
        {
            return UserPoolTokenErrors.RefreshTokenRevoked;
        }

        return time.GetUtcNow() >= session.ExpiresAt ? UserPoolTokenErrors.RefreshTokenExpired : session;
    }

    /// <summary>New ID and access tokens for a redeemed session; <c>auth_time</c> stays the session's, the refresh token is not reissued.</summary>
    public Task<UserPoolTokens> RefreshAsync(TokenGrant grant, UserPoolSession session, CancellationToken cancellationToken)
    {
        CheckGrant(grant, session);
        return issuer.IssueAsync(grant with { AuthTime = session.AuthTime, Scopes = grant.Scopes ?? session.Scopes }, session.SessionId, cancellationToken);
    }

    /// <summary>
    /// Refresh-token rotation: new ID and access tokens of the same session (same <c>origin_jti</c> and <c>auth_time</c>) and a
    /// new refresh token; the redeemed one stays valid for the client's RetryGracePeriodSeconds (API reference,
    /// RefreshTokenRotationType). Redeeming the replaced token again within the grace (a client retry) rotates once more, which
    /// retires the token the lost answer carried, so after the grace only one refresh token of the session works. The store's
    /// compare-and-set on the current hash makes concurrent redemptions of one state yield one new token; the losers are
    /// answered as for an invalid refresh token.
    /// </summary>
    public async Task<Result<UserPoolTokens>> RotateAsync(
        TokenGrant grant, UserPoolSession session, string redeemedRefreshToken, RefreshTokenRotation rotation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        CheckGrant(grant, session);
        var redeemed = RefreshToken.TryDecode(redeemedRefreshToken) ?? throw new InvalidOperationException("The refresh token was not redeemed.");
        var next = redeemed with { Secret = RefreshToken.New(session.UserPoolId).Secret };
        var replacement = redeemed.Matches(session.RefreshTokenHash)
            ? session with
            {
                RefreshTokenHash = next.Hash(),
                PreviousRefreshTokenHash = session.RefreshTokenHash,
                PreviousValidUntil = time.GetUtcNow().AddSeconds(rotation.RetryGracePeriodSeconds),
            }
            : session with { RefreshTokenHash = next.Hash() };
        if (!await store.TryReplaceRefreshTokenAsync(replacement, session.RefreshTokenHash, cancellationToken).ConfigureAwait(false))
        {
            return UserPoolTokenErrors.InvalidRefreshToken;
        }

        var tokens = await issuer.IssueAsync(grant with { AuthTime = session.AuthTime, Scopes = grant.Scopes ?? session.Scopes }, session.SessionId, cancellationToken).ConfigureAwait(false);
        return tokens with { RefreshToken = next.Encode() };
    }

    /// <summary>
    /// RevokeToken: the client (and its secret, when it has one) first, then the token. A token of another client, or one
    /// already revoked or forgotten, changes nothing and is answered as success (RFC 7009 §2.2: an invalid token is no error
    /// of the revocation request).
    /// </summary>
    public async Task<Result<Unit>> RevokeAsync(string refreshToken, string clientId, string? clientSecret, CancellationToken cancellationToken)
    {
        if (RefreshToken.TryDecode(refreshToken) is not { } token)
        {
            return UserPoolTokenErrors.UnsupportedTokenType;
        }

        var client = await pools.GetClientAsync(token.UserPoolId, clientId, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return UserPoolErrors.ClientNotFound(clientId);
        }

        if (client.ClientSecret is { } secret && !SameSecret(secret, clientSecret))
        {
            return UserPoolTokenErrors.ClientSecretMismatch(clientId);
        }

        if (!client.Settings.EnableTokenRevocation)
        {
            return UserPoolTokenErrors.RevocationDisabled;
        }

        var session = await store.GetSessionAsync(token.UserPoolId, token.SessionId, cancellationToken).ConfigureAwait(false);
        if (session is not null && session.ClientId == clientId && IsCurrentOrInGrace(token, session))
        {
            await store.RevokeSessionAsync(session.UserPoolId, session.SessionId, cancellationToken).ConfigureAwait(false);
        }

        return Unit.Value;
    }

    /// <summary>GlobalSignOut / AdminUserGlobalSignOut: every session of the user, so every token of theirs stops working.</summary>
    public Task<int> SignOutUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        store.RevokeUserSessionsAsync(userPoolId, sub, cancellationToken);

    /// <summary>True when the session is revoked or no longer known (expired and forgotten, or its pool deleted).</summary>
    public async Task<bool> IsRevokedAsync(string userPoolId, string originJti, CancellationToken cancellationToken) =>
        await store.GetSessionAsync(userPoolId, originJti, cancellationToken).ConfigureAwait(false) is not { Revoked: false };

    private static void CheckGrant(TokenGrant grant, UserPoolSession session)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(session);
        if (grant.UserPoolId != session.UserPoolId || grant.Client.ClientId != session.ClientId || grant.Sub != session.Sub)
        {
            throw new InvalidOperationException("The grant is not for the session's pool, client and user.");
        }
    }

    /// <summary>The session's current refresh token, or the one rotation replaced while its grace period lasts.</summary>
    private bool IsCurrentOrInGrace(RefreshToken token, UserPoolSession session) =>
        token.Matches(session.RefreshTokenHash)
        || (session.PreviousRefreshTokenHash is { } previous && session.PreviousValidUntil is { } until
            && time.GetUtcNow() < until && token.Matches(previous));

    private static bool SameSecret(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
