using IdentityBroker.Federation.Social;
using IdentityBroker.Iam;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// The rule of each issuer kind, in one table (README, "One reader for every JWT"). Where the four pipelines that came before
/// disagreed, the stricter rule was kept:
/// <list type="bullet">
/// <item>every kind reads the token strictly (<see cref="CompactJws"/>: no padding, no repeated claim, no <c>crit</c>),
/// the social providers and STS included, which used JsonWebTokenHandler's laxer parsing;</item>
/// <item>every kind refuses an <c>iat</c> or <c>nbf</c> beyond the clock skew (OIDC providers did not check <c>iat</c>,
/// the broker's developer tokens neither <c>iat</c> nor <c>nbf</c>);</item>
/// <item>a token with a kid is verified only by the key of that kid (the developer path tried every key);</item>
/// <item>the broker's own tokens are accepted only with the algorithms it signs with, RS512 and ES256 (STS accepted
/// any RS/PS/ES algorithm with the broker's keys), each key only for its own algorithm.</item>
/// </list>
/// What still differs is the issuer kind's, on purpose: Cognito tolerates the clock skew after <c>exp</c> of a
/// third-party ID token, STS (RFC 7519 §4.1.4) and the broker's own tokens do not; the broker's tokens may be longer
/// (their principal tags); OIDC providers use <c>azp</c> before <c>aud</c> as Cognito does, the public providers
/// <c>aud</c> itself.
/// </summary>
internal static class JwtRules
{
    /// <summary>As STS's WebIdentityToken (at most 20,000 characters).</summary>
    public const int ThirdPartyMaxLength = 20_000;

    /// <summary>The broker's own tokens: up to 50 principal tags of 128 + 256 characters fit.</summary>
    public const int BrokerMaxLength = 50_000;

    /// <summary>Asymmetric JWS algorithms only (RFC 7518 §3.3–3.5): never <c>none</c>, never HMAC.</summary>
    public static readonly IReadOnlyList<string> ThirdPartyAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>A generic OIDC provider of a pool (Cognito): <c>iss</c> its URL, keys by discovery, <c>azp</c> else <c>aud</c>.</summary>
    public static JwtRule OidcProvider(OidcProvider provider, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return ThirdParty(
            IssuerRule.Url(provider.Url), AudienceRule.AuthorizedPartyOrAudience(provider.ClientIds), DiscoveredJwks.Of(provider.Url), Tolerant(oidc));
    }

    /// <summary>Google issues <c>iss</c> with and without its scheme; keys by its discovery document.</summary>
    public static JwtRule Google(GoogleProviderOptions google, IReadOnlyList<string> clientIds, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(google);
        return ThirdParty(
            IssuerRule.Exactly(google.Issuer, OidcProviderUrls.WithoutScheme(google.Issuer)), AudienceRule.AudienceAmong(clientIds),
            new DiscoveredJwks(google.DiscoveryUrl, google.Issuer), Tolerant(oidc));
    }

    /// <summary>
    /// An OIDC identity provider of a user pool, whose ID token the broker received from the provider's token endpoint:
    /// <c>iss</c> the provider's oidc_issuer, <c>aud</c> the pool's client_id at the provider, keys from its jwks_uri
    /// detail or its discovery document.
    /// </summary>
    public static JwtRule PoolOidcProvider(string issuer, string clientId, string? jwksUri, OidcOptions oidc) =>
        ThirdParty(IssuerRule.Url(issuer), AudienceRule.AudienceAmong([clientId]),
            jwksUri is null ? DiscoveredJwks.Of(issuer) : new FixedJwks(jwksUri), Tolerant(oidc));

    public static JwtRule Apple(AppleProviderOptions apple, IReadOnlyList<string> appIds, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(apple);
        return ThirdParty(IssuerRule.Exactly(apple.Issuer), AudienceRule.AudienceAmong(appIds), new FixedJwks(apple.JwksUrl), Tolerant(oidc));
    }

    public static JwtRule FacebookLimitedLogin(FacebookProviderOptions facebook, IReadOnlyList<string> appIds, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(facebook);
        return ThirdParty(
            IssuerRule.Exactly(facebook.LimitedLoginIssuer), AudienceRule.AudienceAmong(appIds), new FixedJwks(facebook.LimitedLoginJwksUrl), Tolerant(oidc));
    }

    /// <summary>A user pool's ID token: <c>iss</c> the pool's issuer, keys at <c>&lt;iss&gt;/.well-known/jwks.json</c>, <c>token_use</c> = <c>id</c>.</summary>
    public static JwtRule UserPool(string issuer, IReadOnlyList<string> clientIds, OidcOptions oidc) =>
        ThirdParty(IssuerRule.Exactly(issuer), AudienceRule.AudienceAmong(clientIds), new FixedJwks(issuer + "/.well-known/jwks.json"), Tolerant(oidc))
            with { RequiredClaim = new RequiredClaim("token_use", "id") };

    /// <summary>
    /// An ID token of one of the broker's own user pools presented as a login: its pool's keys, read in process (no JWKS
    /// fetch), RS256 only, no token on or after its exp.
    /// </summary>
    public static JwtRule BrokerUserPoolId(IssuerKeys keys, IReadOnlyList<string> clientIds, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new JwtRule(IssuerRule.Exactly(keys.Issuer), AudienceRule.AudienceAmong(clientIds), Strict(oidc), ThirdPartyMaxLength,
            new ResolvedKeys(keys), [SecurityAlgorithms.RsaSha256]) { RequiredClaim = new RequiredClaim("token_use", "id") };
    }

    /// <summary>An access token of one of the broker's user pools: no aud (client_id instead), token_use = access.</summary>
    public static JwtRule BrokerUserPoolAccess(IssuerKeys keys, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new JwtRule(IssuerRule.Exactly(keys.Issuer), AudienceRule.None, Strict(oidc), ThirdPartyMaxLength,
            new ResolvedKeys(keys), [SecurityAlgorithms.RsaSha256]) { RequiredClaim = new RequiredClaim("token_use", "access") };
    }

    /// <summary>The broker's token presented as a login (developer flow): for this pool only.</summary>
    public static JwtRule BrokerLogin(string brokerIssuer, string poolId, OidcOptions oidc) =>
        Broker(brokerIssuer, AudienceRule.AudienceAmong([poolId]), BrokerKeyRing.Instance, BrokerMaxLength, oidc);

    /// <summary>
    /// The broker's token given to STS, with the keys STS looked up by <c>iss</c> (the key ring): any audience here, the
    /// role's trust policy names the pool; at most STS's WebIdentityToken length.
    /// </summary>
    public static JwtRule StsBroker(IssuerKeys keys, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Broker(keys.Issuer, AudienceRule.Any, new ResolvedKeys(keys), ThirdPartyMaxLength, oidc);
    }

    /// <summary>A registered OIDC provider's token given to STS: IAM checks <c>aud</c> against the client ids.</summary>
    public static JwtRule StsOidcProvider(IssuerKeys keys, IReadOnlyCollection<string> clientIds, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return ThirdParty(IssuerRule.Url(keys.Issuer), AudienceRule.AudienceAmong(clientIds), new ResolvedKeys(keys), Strict(oidc));
    }

    private static JwtRule ThirdParty(IssuerRule issuers, AudienceRule audience, KeySource keys, LifetimeRule lifetime) =>
        new(issuers, audience, lifetime, ThirdPartyMaxLength, keys, ThirdPartyAlgorithms);

    private static JwtRule Broker(string brokerIssuer, AudienceRule audience, KeySource keys, int maxLength, OidcOptions oidc) =>
        new(IssuerRule.Url(brokerIssuer), audience, Strict(oidc), maxLength, keys, Tokens.SigningKeyRing.SupportedAlgorithms);

    /// <summary>Cognito's leeway on third-party ID tokens: the clock skew on every time claim.</summary>
    private static LifetimeRule Tolerant(OidcOptions oidc) => new(oidc.ClockSkew, oidc.ClockSkew);

    /// <summary>No token on or after its exp (RFC 7519 §4.1.4); the clock skew only for nbf and iat.</summary>
    private static LifetimeRule Strict(OidcOptions oidc) => new(TimeSpan.Zero, oidc.ClockSkew);
}
