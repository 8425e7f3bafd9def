using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// Google (<c>accounts.google.com</c>): an ID token verified with the keys named by Google's discovery document;
/// <c>iss</c> is <c>https://accounts.google.com</c> or <c>accounts.google.com</c> (Google issues both forms), <c>aud</c>
/// one of the pool's client ids, <c>sub</c> the subject.
/// </summary>
public sealed class GoogleLoginValidator : ILoginValidator
{
    private readonly ProviderKeySets _keys;
    private readonly GoogleProviderOptions _google;
    private readonly ProviderJwt _jwt;

    public GoogleLoginValidator(ProviderKeySets keys, IOptions<BrokerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
        _google = options.Value.Providers.Google;
        _jwt = new ProviderJwt(time, options.Value.Oidc.ClockSkew);
    }

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SupportedLogins.Lists(pool, providerKey, SupportedLogins.Google));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var clientIds = SupportedLogins.AppIds(pool, SupportedLogins.Google);
        if (!SupportedLogins.Lists(pool, providerKey, SupportedLogins.Google) || clientIds.Count == 0)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var rule = new JwtRule(
            [_google.Issuer, SchemeLess(_google.Issuer)],
            clientIds,
            (kid, ct) => _keys.FromDiscoveryAsync(_google.DiscoveryUrl, _google.Issuer, kid, ct),
            SupportedLogins.Google);
        var jwt = await _jwt.ValidateAsync(token, rule, cancellationToken);
        return jwt.IsSuccess
            ? SupportedLogins.Login(SupportedLogins.Google, OidcTokenRules.Subject(jwt.Value)!, TokenClaims.Flatten(jwt.Value.EncodedPayload))
            : jwt.Error!;
    }

    private static string SchemeLess(string issuer)
    {
        var separator = issuer.IndexOf("://", StringComparison.Ordinal);
        return separator < 0 ? issuer : issuer[(separator + 3)..];
    }
}
