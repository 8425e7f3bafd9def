using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Oidc;

/// <summary>The checks on a third-party OpenID Connect ID token that are Cognito's rather than IdentityModel's.</summary>
internal static class OidcTokenRules
{
    /// <summary>Bounded like STS's WebIdentityToken (at most 20,000 characters).</summary>
    public const int MaxTokenLength = 20_000;

    /// <summary>Asymmetric JWS algorithms only (the set STS accepts): never <c>none</c>, never HMAC.</summary>
    public static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>The first required claim the token lacks (exp, aud, sub), or null.</summary>
    public static string? MissingRequiredClaim(JsonWebToken token) => MissingRequiredClaim(
        token.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Exp, out _), token.Audiences.Any(), Subject(token));

    public static string? Subject(JsonWebToken token) =>
        token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) ? sub : null;

    /// <summary>The lifetime failure in Cognito's words, or null; times are epoch seconds, skew allowed both ways.</summary>
    public static string? LifetimeFailure(JsonWebToken token, DateTimeOffset now, TimeSpan clockSkew) => LifetimeFailure(
        Epoch(token, JwtRegisteredClaimNames.Exp), token.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Nbf, out _),
        Epoch(token, JwtRegisteredClaimNames.Nbf), now, clockSkew);

    /// <summary>As <see cref="MissingRequiredClaim(JsonWebToken)"/>, on the claims read by <see cref="CompactJws"/>.</summary>
    public static string? MissingRequiredClaim(IdTokenClaims claims) =>
        MissingRequiredClaim(claims.HasExpiry, claims.Audiences.Count > 0, claims.Subject);

    /// <summary>
    /// Cognito (Developer Guide, OIDC providers): the <c>azp</c> claim when present, otherwise <c>aud</c>, must be one of
    /// the provider's client ids; an azp that is not a string is refused.
    /// </summary>
    public static bool IsAudienceAccepted(IdTokenClaims claims, IReadOnlyCollection<string> clientIds)
    {
        if (claims.HasAuthorizedParty)
        {
            return claims.AuthorizedParty is { } azp && clientIds.Contains(azp, StringComparer.Ordinal);
        }

        return claims.Audiences.Any(a => clientIds.Contains(a, StringComparer.Ordinal));
    }

    /// <summary>As <see cref="LifetimeFailure(JsonWebToken, DateTimeOffset, TimeSpan)"/>, in the same words.</summary>
    public static string? LifetimeFailure(IdTokenClaims claims, DateTimeOffset now, TimeSpan clockSkew) =>
        LifetimeFailure(claims.Expiry, claims.HasNotBefore, claims.NotBefore, now, clockSkew);

    private static string? MissingRequiredClaim(bool hasExpiry, bool hasAudience, string? subject)
    {
        if (!hasExpiry)
        {
            return JwtRegisteredClaimNames.Exp;
        }

        if (!hasAudience)
        {
            return JwtRegisteredClaimNames.Aud;
        }

        return string.IsNullOrEmpty(subject) ? JwtRegisteredClaimNames.Sub : null;
    }

    /// <param name="exp">exp in epoch seconds; null when absent or not a number.</param>
    /// <param name="hasNotBefore">Whether nbf is present at all.</param>
    /// <param name="nbf">nbf in epoch seconds; null when absent or not a number.</param>
    private static string? LifetimeFailure(long? exp, bool hasNotBefore, long? nbf, DateTimeOffset now, TimeSpan clockSkew)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var skew = (long)clockSkew.TotalSeconds;
        if (exp is not { } expires)
        {
            return "Invalid login token. Missing a required claim: exp";
        }

        // Cognito's own wording puts now first: "Token expired: 1589092400 >= 1589092129".
        if (nowSeconds - skew >= expires)
        {
            return $"Invalid login token. Token expired: {nowSeconds} >= {expires}";
        }

        if (hasNotBefore)
        {
            if (nbf is not { } notBefore)
            {
                return "Invalid login token. Claim nbf is not a number.";
            }

            if (nowSeconds + skew < notBefore)
            {
                return $"Invalid login token. Token is not valid yet: {nowSeconds} < {notBefore}";
            }
        }

        return null;
    }

    /// <summary>NumericDate (RFC 7519 §2): whole or fractional seconds, the fraction dropped; null when absent or not a number.</summary>
    private static long? Epoch(JsonWebToken token, string claim)
    {
        if (token.TryGetPayloadValue<long>(claim, out var whole))
        {
            return whole;
        }

        return token.TryGetPayloadValue<double>(claim, out var fractional) && double.IsFinite(fractional)
            ? (long)Math.Floor(fractional)
            : null;
    }
}
