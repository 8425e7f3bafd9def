using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.UserPools;

/// <summary>
/// Cognito user pools listed in a pool's CognitoIdentityProviders; the Logins key is the ProviderName. The value must be
/// the user pool's ID token: <c>iss</c> = <c>https://&lt;ProviderName&gt;</c> (the base is
/// <c>Broker:Providers:UserPools:IssuerBase</c>), keys from <c>&lt;iss&gt;/.well-known/jwks.json</c>, <c>aud</c> one of the
/// ClientIds configured for that ProviderName, <c>token_use</c> = <c>id</c>. Claims (cognito:groups, cognito:roles,
/// cognito:preferred_role and the rest) are kept for role mapping.
/// </summary>
/// <remarks>
/// The broker's own user pools (<see cref="BrokerUserPoolLogins"/>) are validated the same way with the pool's key read in
/// process (no JWKS fetch), and ServerSideTokenCheck refuses a token whose session (<c>origin_jti</c>) was revoked by
/// GlobalSignOut or RevokeToken. For an AWS user pool the broker has no pool to ask (AWS's user-pool API needs the pool
/// owner's credentials), so there the flag is stored and echoed but adds no check: such an ID token is accepted until its
/// <c>exp</c>.
/// </remarks>
public sealed class UserPoolLoginValidator(JwtReader reader, IOptions<BrokerOptions> options, BrokerUserPoolLogins? brokerPools = null)
    : ILoginValidator
{
    private const string OriginJtiClaim = "origin_jti";

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ClientIds(pool, providerKey).Count > 0);

    /// <summary>
    /// Only ID tokens (<see cref="JwtRules.UserPool"/>): an access token has no aud and is refused with Cognito's "Missing
    /// a required claim: aud"; any other token_use (or none) is refused after it.
    /// </summary>
    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var clientIds = ClientIds(pool, providerKey);
        if (clientIds.Count > 0 && brokerPools?.PoolIdOf(providerKey) is { } brokerPoolId)
        {
            return await ValidateBrokerPoolAsync(pool, providerKey, brokerPoolId, token, clientIds, cancellationToken);
        }

        if (clientIds.Count == 0 || UserPoolProviderName.TryParse(providerKey) is not { } provider)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        ArgumentNullException.ThrowIfNull(options);
        var issuer = provider.Issuer(options.Value.Providers.UserPools.IssuerBase);
        var read = await reader.ReadAsync(token, JwtRules.UserPool(issuer, clientIds, options.Value.Oidc), cancellationToken);
        if (read.Token is not { } jwt)
        {
            return LoginTokenErrors.From(read.Failure!, _ => CognitoErrors.ExternalService($"Couldn't retrieve verification keys from {providerKey}."));
        }

        return new ValidatedLogin(providerKey, jwt.Subject, $"{providerKey}:CognitoSignIn:{jwt.Subject}", jwt.ClaimMap()) { ExpiresAt = jwt.ExpiresAt };
    }

    /// <summary>One of the broker's pools: its key in process, then ServerSideTokenCheck against the token's session.</summary>
    private async ValueTask<Result<ValidatedLogin>> ValidateBrokerPoolAsync(
        IdentityPool pool, string providerKey, string userPoolId, string token, List<string> clientIds, CancellationToken cancellationToken)
    {
        if (await brokerPools!.KeysAsync(userPoolId, cancellationToken) is not { } keys)
        {
            return CognitoErrors.InvalidLoginToken("Couldn't verify signed token.");
        }

        var read = await reader.ReadAsync(token, JwtRules.BrokerUserPoolId(keys, clientIds, options.Value.Oidc), cancellationToken);
        if (read.Token is not { } jwt)
        {
            return LoginTokenErrors.From(read.Failure!, _ => CognitoErrors.ExternalService($"Couldn't retrieve verification keys from {providerKey}."));
        }

        var claims = jwt.ClaimMap();
        if (ChecksServerSide(pool, providerKey, jwt.Claims.Audiences)
            && (claims.GetValueOrDefault(OriginJtiClaim) is not [var originJti]
                || await brokerPools.IsRevokedAsync(userPoolId, originJti, cancellationToken)))
        {
            return CognitoErrors.InvalidLoginToken("Token has been revoked.");
        }

        return new ValidatedLogin(providerKey, jwt.Subject, $"{providerKey}:CognitoSignIn:{jwt.Subject}", claims) { ExpiresAt = jwt.ExpiresAt };
    }

    /// <summary>ServerSideTokenCheck as set on the entry of this provider and the token's client.</summary>
    private static bool ChecksServerSide(IdentityPool pool, string providerKey, IReadOnlyList<string> audiences) =>
        (pool.CognitoIdentityProviders ?? []).Any(p => p.ProviderName == providerKey && p.ServerSideTokenCheck == true
            && audiences.Contains(p.ClientId ?? string.Empty, StringComparer.Ordinal));

    private static List<string> ClientIds(IdentityPool pool, string providerKey)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return [.. (pool.CognitoIdentityProviders ?? [])
            .Where(p => string.Equals(p.ProviderName, providerKey, StringComparison.Ordinal) && !string.IsNullOrEmpty(p.ClientId))
            .Select(p => p.ClientId!)];
    }
}
