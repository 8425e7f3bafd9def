using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// What one provider's ID tokens must satisfy: accepted <c>iss</c> values, accepted <c>aud</c> values (the pool's
/// configured app/client ids), where the keys come from, and an optional provider-specific claim check run before the
/// signature (user pools: token_use).
/// </summary>
internal sealed record JwtRule(
    IReadOnlyCollection<string> Issuers,
    IReadOnlyCollection<string> Audiences,
    Func<string?, CancellationToken, Task<KeySetLookup>> Keys,
    string ProviderKey,
    Func<JsonWebToken, AwsError?>? ExtraCheck = null);

/// <summary>
/// The ID-token checks shared by Google, Apple, Facebook Limited Login and user pools, in this order: size and form,
/// algorithm allow-list, issuer, required claims (exp, aud, sub), provider check, lifetime and iat on
/// <see cref="TimeProvider"/> time, then signature with the provider's keys and <c>aud</c> among the configured ids.
/// Reuses <see cref="OidcTokenRules"/>; failures are Cognito's messages and never carry the token.
/// </summary>
internal sealed class ProviderJwt(TimeProvider time, TimeSpan clockSkew)
{
    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = OidcTokenRules.MaxTokenLength };

    /// <summary>The token as a JWS, or null when it is not one (too long, malformed or encrypted).</summary>
    public static JsonWebToken? Read(string token)
    {
        if (token.Length == 0 || token.Length > OidcTokenRules.MaxTokenLength || token.Count(c => c == '.') != 2)
        {
            return null;
        }

        try
        {
            var jwt = new JsonWebToken(token);
            return jwt.IsEncrypted ? null : jwt;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }

    public async Task<Result<JsonWebToken>> ValidateAsync(string token, JwtRule rule, CancellationToken cancellationToken)
    {
        var jwt = Read(token);
        if (jwt is null)
        {
            return CognitoErrors.InvalidLoginToken("Not a valid OpenId Connect identity token.");
        }

        if (CheckUnsignedParts(jwt, rule) is { } refused)
        {
            return refused;
        }

        var lookup = await rule.Keys(string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid, cancellationToken);
        if (lookup.Keys is not { } keys)
        {
            return CognitoErrors.ExternalService($"Couldn't retrieve verification keys from {rule.ProviderKey}.");
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(jwt, rule, keys));
        if (result.IsValid)
        {
            return jwt;
        }

        return result.Exception is SecurityTokenInvalidAudienceException
            ? CognitoErrors.UnsupportedProvider()
            : CognitoErrors.InvalidLoginToken("Couldn't verify signed token.");
    }

    private AwsError? CheckUnsignedParts(JsonWebToken jwt, JwtRule rule)
    {
        if (!OidcTokenRules.AllowedAlgorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return CognitoErrors.InvalidLoginToken("Couldn't verify signed token.");
        }

        if (!rule.Issuers.Contains(jwt.Issuer ?? string.Empty, StringComparer.Ordinal))
        {
            return CognitoErrors.InvalidLoginToken("Issuer doesn't match providerName");
        }

        if (OidcTokenRules.MissingRequiredClaim(jwt) is { } claim)
        {
            return CognitoErrors.InvalidLoginToken($"Missing a required claim: {claim}");
        }

        if (rule.ExtraCheck?.Invoke(jwt) is { } extra)
        {
            return extra;
        }

        var now = time.GetUtcNow();
        if (OidcTokenRules.LifetimeFailure(jwt, now, clockSkew) is { } lifetime)
        {
            return CognitoErrors.NotAuthorized(lifetime);
        }

        return IssuedInFuture(jwt, now);
    }

    /// <summary>OpenID Connect Core 1.0 §3.1.3.7 (10): iat may not lie in the future beyond the allowed skew.</summary>
    private AwsError? IssuedInFuture(JsonWebToken jwt, DateTimeOffset now)
    {
        if (!jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Iat, out _))
        {
            return null;
        }

        long iat;
        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var whole))
        {
            iat = whole;
        }
        else if (jwt.TryGetPayloadValue<double>(JwtRegisteredClaimNames.Iat, out var fractional) && double.IsFinite(fractional))
        {
            iat = (long)Math.Floor(fractional);
        }
        else
        {
            return CognitoErrors.InvalidLoginToken("Claim iat is not a number.");
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        return iat > nowSeconds + (long)clockSkew.TotalSeconds
            ? CognitoErrors.InvalidLoginToken($"Token used before issued: {nowSeconds} < {iat}")
            : null;
    }

    private static TokenValidationParameters Parameters(JsonWebToken jwt, JwtRule rule, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidIssuer = jwt.Issuer,
        ValidAlgorithms = OidcTokenRules.AllowedAlgorithms,
        IssuerSigningKeys = keys,

        // With a kid, only the key of that kid may verify; without one, any of the provider's keys may.
        TryAllIssuerSigningKeys = string.IsNullOrEmpty(jwt.Kid),
        RequireSignedTokens = true,
        RequireExpirationTime = true,

        // Lifetime is checked on the injected TimeProvider above (IdentityModel 8 reads the system clock).
        ValidateLifetime = false,

        // Google, Apple, Facebook and user pools: aud itself (not azp) must be one of the configured ids.
        AudienceValidator = (audiences, _, _) => audiences.Any(a => rule.Audiences.Contains(a, StringComparer.Ordinal)),
    };
}
