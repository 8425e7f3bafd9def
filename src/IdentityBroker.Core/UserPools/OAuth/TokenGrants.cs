using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.ResourceServers;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>The token endpoint's answer (RFC 6749 §5.1); <see cref="IdToken"/> only with the <c>openid</c> scope.</summary>
public sealed record TokenResponse(string AccessToken, string? IdToken, string? RefreshToken, int ExpiresIn, string TokenType = "Bearer");

/// <summary>A token request as the endpoint read it: the client's credentials (from HTTP basic or the body) and the form.</summary>
public sealed record TokenRequest(string GrantType, string ClientId, string? ClientSecret, IReadOnlyDictionary<string, string?> Form)
{
    public string? this[string name] => Form.GetValueOrDefault(name);
}

/// <summary>
/// <c>/oauth2/token</c> (Cognito developer guide, "Token endpoint"): authenticate the client (RFC 6749 §2.3.1; a client
/// with a secret must present it, one without must not), then the grant: <c>authorization_code</c> (§4.1.3, RFC 7636
/// §4.6), <c>refresh_token</c> (§6) and <c>client_credentials</c> (§4.4, resource-server scopes only). User tokens come from
/// <see cref="UserPoolSessions"/>, so RevokeToken and GlobalSignOut end them like any other.
/// </summary>
public sealed class TokenGrants(
    IUserPoolStore pools, IUserStore users, IResourceServerStore servers, AuthorizationCodes codes, SignInSteps steps, UserPoolSessions sessions,
    ClientCredentialsTokens machine, Triggers.TokenTriggers tokenTriggers, TimeProvider time)
{
    public async Task<Result<TokenResponse>> GrantAsync(string userPoolId, TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = await AuthenticateAsync(userPoolId, request, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return client.Error!;
        }

        return request.GrantType switch
        {
            "authorization_code" => await CodeAsync(client.Value, request, cancellationToken).ConfigureAwait(false),
            "refresh_token" => await RefreshAsync(client.Value, request, cancellationToken).ConfigureAwait(false),
            "client_credentials" => await ClientCredentialsAsync(client.Value, request, cancellationToken).ConfigureAwait(false),
            _ => TokenEndpointErrors.UnsupportedGrantType,
        };
    }

    /// <summary>RFC 6749 §2.3.1 and §5.2: an unknown client, a wrong secret, or a secret where none was issued is invalid_client.</summary>
    public async Task<Result<UserPoolClient>> AuthenticateAsync(string userPoolId, TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = await pools.GetClientAsync(userPoolId, request.ClientId, cancellationToken).ConfigureAwait(false);
        if (client is null || !SecretMatches(client.ClientSecret, request.ClientSecret))
        {
            return TokenEndpointErrors.InvalidClient;
        }

        return client.Settings.AllowedOAuthFlowsUserPoolClient ? client : TokenEndpointErrors.UnauthorizedClient;
    }

    private async Task<Result<TokenResponse>> CodeAsync(UserPoolClient client, TokenRequest request, CancellationToken cancellationToken)
    {
        if (request["code"] is null || request["redirect_uri"] is null)
        {
            return TokenEndpointErrors.InvalidRequest("code and redirect_uri are required.");
        }

        var code = await codes.RedeemAsync(client.UserPoolId, client.ClientId, request["code"], request["redirect_uri"], request["code_verifier"],
            cancellationToken).ConfigureAwait(false);
        if (!code.IsSuccess)
        {
            return code.Error!;
        }

        var user = await users.GetUserAsync(client.UserPoolId, code.Value.Sub, cancellationToken).ConfigureAwait(false);
        if (user is null || SignInRules.Refusal(user, time.GetUtcNow()) is not null)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        var granted = await steps.GrantAsync(client, user, cancellationToken).ConfigureAwait(false);
        var grant = await CustomizedAsync(client, user, granted with { AuthTime = code.Value.AuthTime, Scopes = code.Value.Scopes, Nonce = code.Value.Nonce },
            Triggers.TokenTriggers.HostedAuth, cancellationToken).ConfigureAwait(false);
        return grant.IsSuccess
            ? Response(await sessions.StartAsync(grant.Value, cancellationToken).ConfigureAwait(false), grant.Value.EffectiveScopes)
            : grant.Error!;
    }

    private async Task<Result<TokenResponse>> RefreshAsync(UserPoolClient client, TokenRequest request, CancellationToken cancellationToken)
    {
        if (request["refresh_token"] is not { } refreshToken)
        {
            return TokenEndpointErrors.InvalidRequest("refresh_token is required.");
        }

        var session = await sessions.RedeemAsync(client, refreshToken, cancellationToken).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        var user = await users.GetUserAsync(client.UserPoolId, session.Value.Sub, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.Enabled)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        var customized = await CustomizedAsync(client, user, await steps.GrantAsync(client, user, cancellationToken).ConfigureAwait(false),
            Triggers.TokenTriggers.RefreshTokens, cancellationToken).ConfigureAwait(false);
        if (!customized.IsSuccess)
        {
            return customized.Error!;
        }

        var grant = customized.Value;
        var scopes = session.Value.Scopes ?? [TokenGrant.AdminScope];
        if (client.Settings.RefreshTokenRotation is { IsEnabled: true } rotation)
        {
            var rotated = await sessions.RotateAsync(grant, session.Value, refreshToken, rotation, cancellationToken).ConfigureAwait(false);
            return rotated.IsSuccess ? Response(rotated.Value, scopes) : TokenEndpointErrors.InvalidGrant;
        }

        return Response(await sessions.RefreshAsync(grant, session.Value, cancellationToken).ConfigureAwait(false), scopes);
    }

    /// <summary>
    /// The pool's pre token generation trigger, as for the API's sign-ins (<see cref="SignInSteps.CustomizeAsync"/>). A
    /// refusal is <c>invalid_request</c> with the trigger's message: RFC 6749 has no code for it.
    /// </summary>
    private async Task<Result<TokenGrant>> CustomizedAsync(
        UserPoolClient client, Users.PoolUser user, TokenGrant grant, string source, CancellationToken cancellationToken)
    {
        var pool = await pools.GetUserPoolAsync(client.UserPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return TokenEndpointErrors.InvalidGrant;
        }

        var customized = await steps.CustomizeAsync(pool, user, grant, source, cancellationToken).ConfigureAwait(false);
        return customized.IsSuccess ? customized : TokenEndpointErrors.InvalidRequest(customized.Error!.Message);
    }

    /// <summary>
    /// A confidential client allowed the flow; the requested scopes (all the client's custom scopes when none is named) must
    /// each be allowed for the client and name a scope of an existing resource server.
    /// </summary>
    private async Task<Result<TokenResponse>> ClientCredentialsAsync(UserPoolClient client, TokenRequest request, CancellationToken cancellationToken)
    {
        if (client.ClientSecret is null || client.Settings.AllowedOAuthFlows?.Contains("client_credentials", StringComparer.Ordinal) != true)
        {
            return TokenEndpointErrors.UnauthorizedClient;
        }

        var allowed = (client.Settings.AllowedOAuthScopes ?? []).Where(s => OAuthScopes.SplitCustom(s) is not null).ToArray();
        var requested = request["scope"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray() ?? allowed;
        if (requested.Length == 0 || requested.Any(s => !allowed.Contains(s, StringComparer.Ordinal)))
        {
            return TokenEndpointErrors.InvalidScope;
        }

        foreach (var scope in requested)
        {
            var (identifier, name) = OAuthScopes.SplitCustom(scope)!.Value;
            var server = await servers.GetResourceServerAsync(client.UserPoolId, identifier, cancellationToken).ConfigureAwait(false);
            if (server is null || !server.Scopes.Any(s => s.ScopeName == name))
            {
                return TokenEndpointErrors.InvalidScope;
            }
        }

        // Pre token generation V3_0 (TokenGeneration_ClientCredentials); a refusal is invalid_request, as for the other grants.
        var pool = await pools.GetUserPoolAsync(client.UserPoolId, cancellationToken).ConfigureAwait(false);
        var grant = pool is null
            ? new Triggers.MachineGrant(requested, Triggers.ClaimsChange.None)
            : await tokenTriggers.ApplyMachineAsync(pool, client, requested, cancellationToken).ConfigureAwait(false);
        if (!grant.IsSuccess)
        {
            return TokenEndpointErrors.InvalidRequest(grant.Error!.Message);
        }

        var tokens = await machine.IssueAsync(client, grant.Value.Scopes, cancellationToken, grant.Value.Access).ConfigureAwait(false);
        return new TokenResponse(tokens.AccessToken, null, null, tokens.ExpiresIn);
    }

    private static TokenResponse Response(UserPoolTokens tokens, IReadOnlyList<string> scopes) =>
        new(tokens.AccessToken, OAuthScopes.HasOpenId(scopes) ? tokens.IdToken : null, tokens.RefreshToken, tokens.ExpiresIn, tokens.TokenType);

    private static bool SecretMatches(string? expected, string? given) => expected is null
        ? given is null
        : given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
