using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Sts;

/// <summary>
/// Validates a web identity token as STS does for OIDC ID tokens: asymmetric algorithm from the allow-list, the
/// issuer's key by kid, signature, exp/nbf/iat, aud present (and one of the registered client ids for a third-party
/// provider, "Incorrect token audience"), sub present. Every failure is InvalidIdentityToken, except expiry.
/// </summary>
public sealed class WebIdentityTokenValidator(IIssuerKeySource keySource, IIamStore iam, IOptions<BrokerOptions> options, TimeProvider time)
{
    // STS accepts RSA and ECDSA signatures only (notes §4); never "none" nor HMAC.
    private static readonly HashSet<string> Algorithms = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<Result<WebIdentity>> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = Read(token);
        if (jwt is null)
        {
            return StsErrors.InvalidIdentityToken("The web identity token is not a valid JWT.");
        }

        if (!Algorithms.Contains(jwt.Alg))
        {
            return StsErrors.InvalidIdentityToken($"The web identity token is signed with an unsupported algorithm: {jwt.Alg}.");
        }

        IssuerKeys? issuer;
        try
        {
            issuer = string.IsNullOrEmpty(jwt.Issuer) ? null : await keySource.GetKeysAsync(jwt.Issuer, NullIfEmpty(jwt.Kid), cancellationToken).ConfigureAwait(false);
        }
        catch (IssuerKeysUnavailableException)
        {
            return StsErrors.IdpCommunication();
        }

        if (issuer is null)
        {
            return StsErrors.InvalidIdentityToken($"No OpenIDConnect provider found in your account for {jwt.Issuer}");
        }

        var signature = await ValidateSignatureAsync(token, jwt, issuer).ConfigureAwait(false);
        if (signature is not null)
        {
            return signature;
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var claims = TokenClaims.FromPayload(payload.RootElement, issuer.IsBroker);
        return claims.IsSuccess ? await ValidateClaimsAsync(claims.Value, issuer, cancellationToken).ConfigureAwait(false) : claims.Error!;
    }

    /// <summary>
    /// The in-process STS's check of a token the broker has just signed in this process (<see cref="SignedBrokerToken"/>, which
    /// only <see cref="OpenIdTokenIssuer"/> can build). Why the signature is not verified: the token never left the process —
    /// the values here are the very ones that were serialized and signed a moment ago, not bytes read back from a caller, so
    /// there is nothing a verify could catch. Everything else is checked as for a token received over HTTP: the issuer must be
    /// the broker and the signing key one it publishes under that kid, then the same lifetime, audience, subject and
    /// session-tag rules as <see cref="ValidateAsync"/>.
    /// </summary>
    public async Task<Result<WebIdentity>> ValidateSignedAsync(SignedBrokerToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        IssuerKeys? issuer;
        try
        {
            issuer = await keySource.GetKeysAsync(token.Issuer, token.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (IssuerKeysUnavailableException)
        {
            return StsErrors.IdpCommunication();
        }

        if (issuer is not { IsBroker: true })
        {
            return StsErrors.InvalidIdentityToken($"No OpenIDConnect provider found in your account for {token.Issuer}");
        }

        if (!issuer.Keys.Any(k => k.KeyId == token.KeyId))
        {
            return StsErrors.InvalidIdentityToken(
                "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements");
        }

        return await ValidateClaimsAsync(TokenClaims.FromSigned(token), issuer, cancellationToken).ConfigureAwait(false);
    }

    private static JsonWebToken? Read(string token)
    {
        try
        {
            var jwt = Handler.ReadJsonWebToken(token);
            return jwt.IsEncrypted ? null : jwt;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (SecurityTokenException)
        {
            return null;
        }
    }

    private static async Task<AwsError?> ValidateSignatureAsync(string token, JsonWebToken jwt, IssuerKeys issuer)
    {
        // With a kid the key must be one the issuer publishes under that kid; trying other keys would hide a rotation problem.
        var keys = string.IsNullOrEmpty(jwt.Kid) ? issuer.Keys : issuer.Keys.Where(k => k.KeyId == jwt.Kid).ToList();
        if (keys.Count == 0)
        {
            return StsErrors.InvalidIdentityToken(
                "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,

            // Audience and lifetime are checked by ValidateClaimsAsync: aud with IAM's per-provider rules, times against
            // the injected TimeProvider and with STS's error names.
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        var result = await Handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        return result.IsValid ? null : StsErrors.InvalidIdentityToken("The web identity token signature could not be verified.");
    }

    private async Task<Result<WebIdentity>> ValidateClaimsAsync(TokenClaims claims, IssuerKeys issuer, CancellationToken cancellationToken)
    {
        var lifetime = ValidateLifetime(claims);
        if (lifetime is not null)
        {
            return lifetime;
        }

        if (claims.Audiences.Count == 0)
        {
            return StsErrors.InvalidIdentityToken("Incorrect token audience");
        }

        if (!issuer.IsBroker && !await IsRegisteredAudienceAsync(issuer, claims.Audiences, cancellationToken).ConfigureAwait(false))
        {
            return StsErrors.InvalidIdentityToken("Incorrect token audience");
        }

        if (string.IsNullOrEmpty(claims.Subject))
        {
            return StsErrors.InvalidIdentityToken("The web identity token has no sub claim.");
        }

        if (!claims.Tags.IsSuccess)
        {
            return claims.Tags.Error!;
        }

        return new WebIdentity(issuer, claims.Subject, claims.Audiences, claims.Amr, claims.Tags.Value, claims.SourceIdentity);
    }

    private AwsError? ValidateLifetime(TokenClaims claims)
    {
        var now = time.GetUtcNow();
        var skew = (long)options.Value.Oidc.ClockSkew.TotalSeconds;
        if (claims.Expires is not { } exp)
        {
            return StsErrors.InvalidIdentityToken("The web identity token has no exp claim.");
        }

        // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
        if (now.ToUnixTimeSeconds() >= exp)
        {
            return StsErrors.ExpiredToken(now, exp);
        }

        if (claims.NotBefore > now.ToUnixTimeSeconds() + skew || claims.IssuedAt > now.ToUnixTimeSeconds() + skew)
        {
            return StsErrors.InvalidIdentityToken("The web identity token is not yet valid (nbf or iat is in the future).");
        }

        return null;
    }

    /// <summary>IAM: for a registered OIDC provider the token's aud must be one of the provider's client ids.</summary>
    private async Task<bool> IsRegisteredAudienceAsync(IssuerKeys issuer, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        var provider = await iam.GetOidcProviderAsync(issuer.ProviderArn, cancellationToken).ConfigureAwait(false);
        return provider is not null && audiences.Any(provider.ClientIds.Contains);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
