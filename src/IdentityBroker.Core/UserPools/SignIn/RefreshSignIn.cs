using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// REFRESH_TOKEN_AUTH / REFRESH_TOKEN and GetTokensFromRefreshToken: the refresh token's session must be live and of this
/// client (<see cref="UserPoolSessions.RedeemAsync"/>), its user must still exist and be enabled; new ID and access tokens
/// of the same session are issued with the user's attributes and groups as they are now. A client with refresh-token
/// rotation renews through GetTokensFromRefreshToken only, which then also answers a new refresh token.
/// </summary>
public sealed class RefreshSignIn(UserPoolSessions sessions, IUserStore users, SignInSteps steps, IUserPoolStore pools)
{
    /// <summary>
    /// REFRESH_TOKEN_AUTH. A client with a secret needs SECRET_HASH; Cognito computes it over the user's name, which for a
    /// pool signing in by email or phone is the sub (aws/aws-sdk-net-extensions-cognito#122), so a hash over the USERNAME
    /// sent, the user's username or the sub is accepted — each proves the client secret.
    /// </summary>
    public async Task<Result<SignInOutcome>> InitiateAsync(
        UserPoolClient client, string refreshToken, string? username, string? secretHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.Settings.RefreshTokenRotation is { IsEnabled: true })
        {
            return UserPoolTokenErrors.RotationNeedsGetTokens;
        }

        var redeemed = await RedeemAsync(client, refreshToken, cancellationToken).ConfigureAwait(false);
        if (!redeemed.IsSuccess)
        {
            return redeemed.Error!;
        }

        var (session, user) = redeemed.Value;
        if (client.ClientSecret is not null)
        {
            var names = new[] { username, user.Username, user.Sub }.OfType<string>();
            if (names.All(n => SecretHash.Check(client, n, secretHash) is not null))
            {
                return SecretHash.Check(client, user.Username, secretHash)!;
            }
        }

        return await RefreshAsync(client, session, user, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GetTokensFromRefreshToken: the client secret itself instead of SECRET_HASH.</summary>
    public async Task<Result<SignInOutcome>> GetTokensAsync(
        UserPoolClient client, string refreshToken, string? clientSecret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.ClientSecret is { } secret && (clientSecret is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(clientSecret))))
        {
            return UserPoolTokenErrors.ClientSecretMismatch(client.ClientId);
        }

        var redeemed = await RedeemAsync(client, refreshToken, cancellationToken).ConfigureAwait(false);
        if (!redeemed.IsSuccess)
        {
            return redeemed.Error!;
        }

        var (session, user) = redeemed.Value;
        if (client.Settings.RefreshTokenRotation is not { IsEnabled: true } rotation)
        {
            return await RefreshAsync(client, session, user, cancellationToken).ConfigureAwait(false);
        }

        var grant = await GrantAsync(client, user, cancellationToken).ConfigureAwait(false);
        if (!grant.IsSuccess)
        {
            return grant.Error!;
        }

        var rotated = await sessions.RotateAsync(grant.Value, session, refreshToken, rotation, cancellationToken).ConfigureAwait(false);
        return rotated.IsSuccess ? SignInOutcome.SignedIn(rotated.Value) : rotated.Error!;
    }

    private async Task<Result<(UserPoolSession Session, PoolUser User)>> RedeemAsync(
        UserPoolClient client, string refreshToken, CancellationToken cancellationToken)
    {
        var session = await sessions.RedeemAsync(client, refreshToken, cancellationToken).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            return session.Error!;
        }

        var user = await users.GetUserAsync(client.UserPoolId, session.Value.Sub, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return UserErrors.UserNotFound;
        }

        return user.Enabled ? (session.Value, user) : SignInErrors.UserDisabled;
    }

    private async Task<Result<SignInOutcome>> RefreshAsync(UserPoolClient client, UserPoolSession session, PoolUser user, CancellationToken cancellationToken)
    {
        var grant = await GrantAsync(client, user, cancellationToken).ConfigureAwait(false);
        return grant.IsSuccess
            ? SignInOutcome.SignedIn(await sessions.RefreshAsync(grant.Value, session, cancellationToken).ConfigureAwait(false))
            : grant.Error!;
    }

    /// <summary>The grant as at sign-in, then the pool's pre token generation trigger (TokenGeneration_RefreshTokens).</summary>
    private async Task<Result<TokenGrant>> GrantAsync(UserPoolClient client, PoolUser user, CancellationToken cancellationToken)
    {
        var grant = await steps.GrantAsync(client, user, cancellationToken).ConfigureAwait(false);
        var pool = await pools.GetUserPoolAsync(client.UserPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null
            ? UserPoolErrors.ClientNotFound(client.ClientId)
            : await steps.CustomizeAsync(pool, user, grant, Triggers.TokenTriggers.RefreshTokens, cancellationToken).ConfigureAwait(false);
    }
}
