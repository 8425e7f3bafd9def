using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Federation.Social;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

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
public sealed class UserPoolLoginValidator : ILoginValidator
{
    private readonly ProviderKeySets _keys;
    private readonly UserPoolProviderOptions _userPools;
    private readonly ProviderJwt _jwt;

    public UserPoolLoginValidator(ProviderKeySets keys, IOptions<BrokerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
        _userPools = options.Value.Providers.UserPools;
        _jwt = new ProviderJwt(time, options.Value.Oidc.ClockSkew);
    }

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ClientIds(pool, providerKey).Count > 0);

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var clientIds = ClientIds(pool, providerKey);
        if (clientIds.Count == 0 || UserPoolProviderName.TryParse(providerKey) is not { } provider)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var issuer = provider.Issuer(_userPools.IssuerBase);
        var rule = new JwtRule([issuer], clientIds, (kid, ct) => _keys.FromJwksAsync(issuer + "/.well-known/jwks.json", kid, ct), providerKey, RequireIdToken);
        var jwt = await _jwt.ValidateAsync(token, rule, cancellationToken);
        if (!jwt.IsSuccess)
        {
            return jwt.Error!;
        }

        var subject = OidcTokenRules.Subject(jwt.Value)!;
        return new ValidatedLogin(providerKey, subject, $"{providerKey}:CognitoSignIn:{subject}", TokenClaims.Flatten(jwt.Value.EncodedPayload));
    }

    /// <summary>
    /// Only ID tokens: an access token has no aud and is already refused with Cognito's "Missing a required claim: aud";
    /// any other token_use (or none) is refused here.
    /// </summary>
    private static AwsError? RequireIdToken(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<string>("token_use", out var use) && string.Equals(use, "id", StringComparison.Ordinal)
            ? null
            : CognitoErrors.InvalidLoginToken("Token is not an ID token (token_use must be id).");

    private static List<string> ClientIds(IdentityPool pool, string providerKey)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return [.. (pool.CognitoIdentityProviders ?? [])
            .Where(p => string.Equals(p.ProviderName, providerKey, StringComparison.Ordinal) && !string.IsNullOrEmpty(p.ClientId))
            .Select(p => p.ClientId!)];
    }
}
