using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.UserPools.Sessions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>Who an access token speaks for; only <see cref="AccessTokenAuthenticator"/> builds one.</summary>
public sealed class AuthenticatedAccess
{
    internal AuthenticatedAccess(string userPoolId, string username, string sub, string clientId, string originJti)
    {
        UserPoolId = userPoolId;
        Username = username;
        Sub = sub;
        ClientId = clientId;
        OriginJti = originJti;
    }

    public string UserPoolId { get; }

    public string Username { get; }

    public string Sub { get; }

    public string ClientId { get; }

    /// <summary>The session the token was issued in.</summary>
    public string OriginJti { get; }

    /// <summary>The token's <c>scope</c> claim, split.</summary>
    public IReadOnlyList<string> Scopes { get; internal init; } = [];
}

/// <summary>
/// Authorizes the access-token operations (GetUser, ChangePassword, GlobalSignOut, …) as Cognito does: the token must be an
/// access token of one of this broker's pools, signed by that pool's key (read in process), unexpired on
/// <see cref="TimeProvider"/> time, carrying <c>aws.cognito.signin.user.admin</c>, from a session that was not revoked
/// (checked on every call: after GlobalSignOut or RevokeToken the token stops working at once).
/// </summary>
/// <remarks>
/// Stages: a token verified before and unexpired (<see cref="VerifiedAccessTokens"/>) → session; otherwise read iss → the
/// pool's key → <see cref="JwtReader"/> (alg, iss, exp, token_use, signature) → claims → scope → remembered → session.
/// </remarks>
public sealed class AccessTokenAuthenticator(
    JwtReader reader, UserPoolIssuer issuer, UserPoolSigningKeys keys, UserPoolSessions sessions, VerifiedAccessTokens verified,
    IOptions<BrokerOptions> options)
{
    public Task<Result<AuthenticatedAccess>> AuthenticateAsync(string? accessToken, CancellationToken cancellationToken) =>
        AuthenticateAsync(accessToken, TokenGrant.AdminScope, cancellationToken);

    /// <summary>As the user-pools API does, but requiring <paramref name="requiredScope"/> (<c>/oauth2/userInfo</c>: <c>openid</c>).</summary>
    public async Task<Result<AuthenticatedAccess>> AuthenticateAsync(string? accessToken, string requiredScope, CancellationToken cancellationToken)
    {
        var access = accessToken is null ? null : verified.Find(accessToken);
        if (access is null)
        {
            var read = await VerifyAsync(accessToken, cancellationToken).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                return read.Error!;
            }

            access = read.Value;
        }

        // The scope is asked per call (the API wants aws.cognito.signin.user.admin, /oauth2/userInfo openid), so it is
        // checked here, after the cache, not when the token is first verified.
        if (!access.Scopes.Contains(requiredScope, StringComparer.Ordinal))
        {
            return UserPoolTokenErrors.MissingScope;
        }

        // Revocation is checked on every call, cached or not: after GlobalSignOut or RevokeToken the token stops at once.
        return await sessions.IsRevokedAsync(access.UserPoolId, access.OriginJti, cancellationToken).ConfigureAwait(false)
            ? UserPoolTokenErrors.AccessTokenRevoked
            : access;
    }

    private async Task<Result<AuthenticatedAccess>> VerifyAsync(string? accessToken, CancellationToken cancellationToken)
    {
        var jws = accessToken is null ? null : CompactJws.Parse(accessToken, JwtRules.ThirdPartyMaxLength);
        if (jws is null || issuer.PoolIdOfIssuer(jws.Claims.Issuer) is not { } userPoolId
            || await keys.FindAsync(userPoolId, cancellationToken).ConfigureAwait(false) is not { } key)
        {
            return UserPoolTokenErrors.InvalidAccessToken;
        }

        var read = await reader.VerifyAsync(jws, accessToken!, JwtRules.BrokerUserPoolAccess(key.Keys, options.Value.Oidc), cancellationToken);
        if (read.Token is null)
        {
            return read.Failure!.Kind == JwtFailureKind.Expired ? UserPoolTokenErrors.AccessTokenExpired : UserPoolTokenErrors.InvalidAccessToken;
        }

        if (ReadClaims(jws.Claims.Payload) is not { } claims)
        {
            return UserPoolTokenErrors.InvalidAccessToken;
        }

        var access = new AuthenticatedAccess(userPoolId, claims.Username, jws.Claims.Subject!, claims.ClientId, claims.OriginJti)
        {
            Scopes = claims.Scopes,
        };
        if (jws.Claims.Expiry is { } expiry)
        {
            verified.Add(accessToken!, access, DateTimeOffset.FromUnixTimeSeconds(expiry));
        }

        return access;
    }

    /// <summary>The claims the broker wrote into every access token; a token without them was not written by it.</summary>
    private static AccessClaims? ReadClaims(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var username = Text(root, "username");
        var clientId = Text(root, "client_id");
        var originJti = Text(root, "origin_jti");
        var scope = Text(root, "scope");
        return username is null || clientId is null || originJti is null || scope is null
            ? null
            : new AccessClaims(username, clientId, originJti, scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private sealed record AccessClaims(string Username, string ClientId, string OriginJti, string[] Scopes);
}
