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
/// <remarks>Stages: read iss → the pool's key → <see cref="JwtReader"/> (alg, iss, exp, token_use, signature) → claims → scope → session.</remarks>
public sealed class AccessTokenAuthenticator(
    JwtReader reader, UserPoolIssuer issuer, UserPoolSigningKeys keys, UserPoolSessions sessions, IOptions<BrokerOptions> options)
{
    public Task<Result<AuthenticatedAccess>> AuthenticateAsync(string? accessToken, CancellationToken cancellationToken) =>
        AuthenticateAsync(accessToken, TokenGrant.AdminScope, cancellationToken);

    /// <summary>As the user-pools API does, but requiring <paramref name="requiredScope"/> (<c>/oauth2/userInfo</c>: <c>openid</c>).</summary>
    public async Task<Result<AuthenticatedAccess>> AuthenticateAsync(string? accessToken, string requiredScope, CancellationToken cancellationToken)
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

        if (!claims.Scopes.Contains(requiredScope, StringComparer.Ordinal))
        {
            return UserPoolTokenErrors.MissingScope;
        }

        return await sessions.IsRevokedAsync(userPoolId, claims.OriginJti, cancellationToken).ConfigureAwait(false)
            ? UserPoolTokenErrors.AccessTokenRevoked
            : new AuthenticatedAccess(userPoolId, claims.Username, jws.Claims.Subject!, claims.ClientId, claims.OriginJti) { Scopes = claims.Scopes };
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
