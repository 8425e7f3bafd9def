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
    public static string? MissingRequiredClaim(JsonWebToken token)
    {
        if (!token.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Exp, out _))
        {
            return JwtRegisteredClaimNames.Exp;
        }

        if (!token.Audiences.Any())
        {
            return JwtRegisteredClaimNames.Aud;
        }

        return string.IsNullOrEmpty(Subject(token)) ? JwtRegisteredClaimNames.Sub : null;
    }

    public static string? Subject(JsonWebToken token) =>
        token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) ? sub : null;

    /// <summary>
    /// Cognito (Developer Guide, OIDC providers): the <c>azp</c> claim when present, otherwise <c>aud</c>, must be one of
    /// the provider's client ids.
    /// </summary>
    public static bool IsAudienceAccepted(JsonWebToken token, IReadOnlyCollection<string> clientIds)
    {
        if (token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Azp, out var azp) && azp is not null)
        {
            return clientIds.Contains(azp, StringComparer.Ordinal);
        }

        return token.Audiences.Any(a => clientIds.Contains(a, StringComparer.Ordinal));
    }

    /// <summary>The lifetime failure in Cognito's words, or null; times are epoch seconds, skew allowed both ways.</summary>
    public static string? LifetimeFailure(JsonWebToken token, DateTimeOffset now, TimeSpan clockSkew)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var skew = (long)clockSkew.TotalSeconds;
        if (!TryEpoch(token, JwtRegisteredClaimNames.Exp, out var exp))
        {
            return "Invalid login token. Missing a required claim: exp";
        }

        // Cognito's own wording puts now first: "Token expired: 1589092400 >= 1589092129".
        if (nowSeconds - skew >= exp)
        {
            return $"Invalid login token. Token expired: {nowSeconds} >= {exp}";
        }

        if (token.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Nbf, out _))
        {
            if (!TryEpoch(token, JwtRegisteredClaimNames.Nbf, out var nbf))
            {
                return "Invalid login token. Claim nbf is not a number.";
            }

            if (nowSeconds + skew < nbf)
            {
                return $"Invalid login token. Token is not valid yet: {nowSeconds} < {nbf}";
            }
        }

        return null;
    }

    /// <summary>As <see cref="MissingRequiredClaim(JsonWebToken)"/>, on the claims read by <see cref="CompactJws"/>.</summary>
    public static string? MissingRequiredClaim(IdTokenClaims claims)
    {
        if (!claims.HasExpiry)
        {
            return JwtRegisteredClaimNames.Exp;
        }

        if (claims.Audiences.Count == 0)
        {
            return JwtRegisteredClaimNames.Aud;
        }

        return string.IsNullOrEmpty(claims.Subject) ? JwtRegisteredClaimNames.Sub : null;
    }

    /// <summary>As <see cref="IsAudienceAccepted(JsonWebToken, IReadOnlyCollection{string})"/>; an azp that is not a string is refused.</summary>
    public static bool IsAudienceAccepted(IdTokenClaims claims, IReadOnlyCollection<string> clientIds)
    {
        if (claims.HasAuthorizedParty)
        {
            return claims.AuthorizedParty is { } azp && clientIds.Contains(azp, StringComparer.Ordinal);
        }

        return claims.Audiences.Any(a => clientIds.Contains(a, StringComparer.Ordinal));
    }

    /// <summary>As <see cref="LifetimeFailure(JsonWebToken, DateTimeOffset, TimeSpan)"/>, in the same words.</summary>
    public static string? LifetimeFailure(IdTokenClaims claims, DateTimeOffset now, TimeSpan clockSkew)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var skew = (long)clockSkew.TotalSeconds;
        if (claims.Expiry is not { } exp)
        {
            return "Invalid login token. Missing a required claim: exp";
        }

        if (nowSeconds - skew >= exp)
        {
            return $"Invalid login token. Token expired: {nowSeconds} >= {exp}";
        }

        if (claims.HasNotBefore)
        {
            if (claims.NotBefore is not { } nbf)
            {
                return "Invalid login token. Claim nbf is not a number.";
            }

            if (nowSeconds + skew < nbf)
            {
                return $"Invalid login token. Token is not valid yet: {nowSeconds} < {nbf}";
            }
        }

        return null;
    }

    private static bool TryEpoch(JsonWebToken token, string claim, out long seconds)
    {
        seconds = 0;
        if (token.TryGetPayloadValue<long>(claim, out var whole))
        {
            seconds = whole;
            return true;
        }

        if (token.TryGetPayloadValue<double>(claim, out var fractional) && double.IsFinite(fractional))
        {
            seconds = (long)Math.Floor(fractional);
            return true;
        }

        return false;
    }
}
