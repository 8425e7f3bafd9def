using IdentityBroker.Iam.OidcProviders;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// What the tokens of one issuer kind must satisfy, as data read by <see cref="JwtReader"/>: the rows are built in one
/// place, <see cref="JwtRules"/>. Every rule refuses <c>crit</c>, requires <c>exp</c>, <c>aud</c> and <c>sub</c>, and
/// checks <c>nbf</c> and <c>iat</c> when present.
/// </summary>
/// <param name="Issuers">Accepted <c>iss</c> values.</param>
/// <param name="Audience">Which of <c>aud</c>/<c>azp</c> must name whom.</param>
/// <param name="Lifetime">The leeway on <c>exp</c>, and on <c>nbf</c>/<c>iat</c>.</param>
/// <param name="MaxLength">The longest token read, in characters.</param>
/// <param name="Keys">Where the verification keys come from.</param>
/// <param name="Algorithms">The JWS <c>alg</c> values accepted; asymmetric ones only.</param>
/// <param name="RequiredClaim">A string claim that must have one value (user pools: <c>token_use</c> = <c>id</c>), or null.</param>
internal sealed record JwtRule(
    IssuerRule Issuers,
    AudienceRule Audience,
    LifetimeRule Lifetime,
    int MaxLength,
    KeySource Keys,
    IReadOnlyCollection<string> Algorithms,
    RequiredClaim? RequiredClaim = null);

/// <summary>Accepted issuers, compared ordinally; <paramref name="IgnoreTrailingSlash"/> ignores one trailing slash on either side.</summary>
internal sealed record IssuerRule(IReadOnlyList<string> Accepted, bool IgnoreTrailingSlash)
{
    public static IssuerRule Exactly(params string[] issuers) => new(issuers, IgnoreTrailingSlash: false);

    /// <summary>A registered URL: <c>https://idp/</c> and <c>https://idp</c> are one issuer (IAM stores either).</summary>
    public static IssuerRule Url(string url) => new([OidcProviderUrl.NormalizeIssuer(url)], IgnoreTrailingSlash: true);

    public bool Matches(string issuer)
    {
        var candidate = IgnoreTrailingSlash ? OidcProviderUrl.NormalizeIssuer(issuer) : issuer;
        foreach (var accepted in Accepted)
        {
            if (string.Equals(accepted, candidate, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

internal enum AudienceKind
{
    /// <summary>Cognito's rule for OIDC providers: <c>azp</c> when present (a string), otherwise <c>aud</c>, among the accepted ids.</summary>
    AuthorizedPartyOrAudience,

    /// <summary><c>aud</c> itself (not <c>azp</c>) names one of the accepted ids.</summary>
    Audience,

    /// <summary>Any <c>aud</c>: the consumer checks it later (STS: the role's trust policy names the pool).</summary>
    AnyAudience,

    /// <summary>
    /// No <c>aud</c> at all: a user pool's access token names its app client in <c>client_id</c> instead (Amazon Cognito
    /// Developer Guide, "Understanding the access token"); the consumer reads <c>client_id</c>.
    /// </summary>
    ClientIdInstead,
}

internal sealed record AudienceRule(AudienceKind Kind, IReadOnlyCollection<string> Accepted)
{
    public static AudienceRule AuthorizedPartyOrAudience(IReadOnlyCollection<string> clientIds) => new(AudienceKind.AuthorizedPartyOrAudience, clientIds);

    public static AudienceRule AudienceAmong(IReadOnlyCollection<string> ids) => new(AudienceKind.Audience, ids);

    public static readonly AudienceRule Any = new(AudienceKind.AnyAudience, []);

    public static readonly AudienceRule None = new(AudienceKind.ClientIdInstead, []);

    /// <summary>False when the token needs no <c>aud</c> (access tokens).</summary>
    public bool RequiresAudience => Kind != AudienceKind.ClientIdInstead;

    public bool Accepts(JwtClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        // OpenID Connect Core 1.0 §3.1.3.7 (4): an ID token for several audiences names the party it was issued to in azp;
        // without it, any one of the audiences could replay the token to another as if it were its own.
        if (Kind is AudienceKind.AuthorizedPartyOrAudience or AudienceKind.Audience && claims.Audiences.Count > 1 && !claims.HasAuthorizedParty)
        {
            return false;
        }

        return Kind switch
        {
            AudienceKind.AuthorizedPartyOrAudience when claims.HasAuthorizedParty => claims.AuthorizedParty is { } azp && Names(azp),
            AudienceKind.AnyAudience => claims.Audiences.Count > 0,
            AudienceKind.ClientIdInstead => claims.Audiences.Count == 0,
            _ => claims.Audiences.Any(Names),
        };
    }

    private bool Names(string id) => Accepted.Contains(id, StringComparer.Ordinal);
}

/// <param name="ExpiryLeeway">How long after <c>exp</c> a token is still accepted.</param>
/// <param name="ClockSkew">How far in the future <c>nbf</c> and <c>iat</c> may lie.</param>
internal sealed record LifetimeRule(TimeSpan ExpiryLeeway, TimeSpan ClockSkew);

/// <summary>A string claim that must be present with exactly <paramref name="Value"/>.</summary>
internal sealed record RequiredClaim(string Name, string Value);

/// <summary>Where a rule's verification keys come from.</summary>
internal abstract record KeySource;

/// <summary>The JWKS named by an OpenID Connect discovery document, whose <c>issuer</c> must be <paramref name="Issuer"/>.</summary>
internal sealed record DiscoveredJwks(string DiscoveryUrl, string Issuer) : KeySource
{
    /// <summary>OpenID Connect Discovery 1.0 §4: <c>&lt;issuer&gt;/.well-known/openid-configuration</c>.</summary>
    public static DiscoveredJwks Of(string issuer)
    {
        var normalized = OidcProviderUrl.NormalizeIssuer(issuer);
        return new DiscoveredJwks(normalized + "/.well-known/openid-configuration", normalized);
    }
}

/// <summary>A JWK Set at a fixed URL.</summary>
internal sealed record FixedJwks(string JwksUrl) : KeySource;

/// <summary>The broker's own signing key ring (its published JWKS), read in-process.</summary>
internal sealed record BrokerKeyRing : KeySource
{
    public static readonly BrokerKeyRing Instance = new();
}

/// <summary>Keys already looked up by the token's issuer (STS finds the issuer, and with it the rule, from <c>iss</c>).</summary>
internal sealed record ResolvedKeys(IssuerKeys Keys) : KeySource;
