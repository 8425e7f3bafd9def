using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// Sign in with Apple (<c>appleid.apple.com</c>): the identityToken verified with Apple's JWKS
/// (<c>https://appleid.apple.com/auth/keys</c>); <c>iss</c> exactly <c>https://appleid.apple.com</c>, <c>aud</c> one of
/// the pool's Services/Bundle ids, <c>sub</c> the subject.
/// </summary>
public sealed class AppleLoginValidator : ILoginValidator
{
    private readonly ProviderKeySets _keys;
    private readonly AppleProviderOptions _apple;
    private readonly ProviderJwt _jwt;

    public AppleLoginValidator(ProviderKeySets keys, IOptions<BrokerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
        _apple = options.Value.Providers.Apple;
        _jwt = new ProviderJwt(time, options.Value.Oidc.ClockSkew);
    }

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SupportedLogins.Lists(pool, providerKey, SupportedLogins.Apple));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var appIds = SupportedLogins.AppIds(pool, SupportedLogins.Apple);
        if (!SupportedLogins.Lists(pool, providerKey, SupportedLogins.Apple) || appIds.Count == 0)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var rule = new JwtRule([_apple.Issuer], appIds, (kid, ct) => _keys.FromJwksAsync(_apple.JwksUrl, kid, ct), SupportedLogins.Apple);
        var jwt = await _jwt.ValidateAsync(token, rule, cancellationToken);
        return jwt.IsSuccess
            ? SupportedLogins.Login(SupportedLogins.Apple, OidcTokenRules.Subject(jwt.Value)!, TokenClaims.Flatten(jwt.Value.EncodedPayload))
            : jwt.Error!;
    }
}
