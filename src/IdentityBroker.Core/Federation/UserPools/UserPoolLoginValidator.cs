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
/// ServerSideTokenCheck: Cognito then asks the user pool whether the user was signed out globally or deleted. The broker
/// has no user pool to ask (it is not one, and AWS's user-pool API needs the pool owner's credentials), so the flag is
/// stored and echoed but adds no check: a user-pool ID token is accepted until its <c>exp</c>. Keep user-pool ID token
/// lifetimes short where revocation matters.
/// </remarks>
public sealed class UserPoolLoginValidator(JwtReader reader, IOptions<BrokerOptions> options) : ILoginValidator
{
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

        return new ValidatedLogin(providerKey, jwt.Subject, $"{providerKey}:CognitoSignIn:{jwt.Subject}", jwt.ClaimMap());
    }

    private static List<string> ClientIds(IdentityPool pool, string providerKey)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return [.. (pool.CognitoIdentityProviders ?? [])
            .Where(p => string.Equals(p.ProviderName, providerKey, StringComparison.Ordinal) && !string.IsNullOrEmpty(p.ClientId))
            .Select(p => p.ClientId!)];
    }
}
