using System.Collections.Concurrent;
using IdentityBroker.Errors;
using IdentityBroker.Iam;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// Validates ID tokens of the generic OpenID Connect providers a pool lists in OpenIdConnectProviderARNs; the Logins key is
/// the provider URL without its scheme (notes §3). Checks, in order: size and form, algorithm allow-list, <c>iss</c> equals
/// the provider URL, required claims, lifetime (on <see cref="TimeProvider"/>), signature with the issuer's keys, and
/// <c>azp</c>/<c>aud</c> among the provider's client ids. Failures are NotAuthorizedException in Cognito's words and never
/// carry the token.
/// </summary>
public sealed class OidcLoginValidator : ILoginValidator
{
    private readonly OidcProviderDirectory _directory;
    private readonly OidcProviderKeys _keys;
    private readonly OidcOptions _options;
    private readonly TimeProvider _time;
    private const int MaxPlans = 1024;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = OidcTokenRules.MaxTokenLength };
    private readonly ConcurrentDictionary<string, ValidationPlan> _plans = new(StringComparer.Ordinal);

    public OidcLoginValidator(OidcProviderDirectory directory, OidcProviderKeys keys, IOptions<BrokerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _keys = keys;
        _options = options.Value.Oidc;
        _time = time;
    }

    public async ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        await ProviderForAsync(pool, providerKey, cancellationToken) is not null;

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var provider = await ProviderForAsync(pool, providerKey, cancellationToken);
        if (provider is null)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var jwt = Read(token);
        if (jwt is null)
        {
            return CognitoErrors.InvalidLoginToken("Not a valid OpenId Connect identity token.");
        }

        if (CheckUnsignedParts(jwt, provider) is { } failure)
        {
            return failure;
        }

        var signed = await CheckSignatureAsync(jwt, provider, cancellationToken);
        if (!signed.IsSuccess)
        {
            return signed.Error!;
        }

        var subject = OidcTokenRules.Subject(jwt)!;
        return new ValidatedLogin(providerKey, subject, $"{provider.Arn}:OIDC:{subject}", TokenClaims.Flatten(jwt.EncodedPayload));
    }

    private static JsonWebToken? Read(string token)
    {
        if (token.Length == 0 || token.Length > OidcTokenRules.MaxTokenLength)
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

    /// <summary>What can be refused before any key is fetched: algorithm, issuer, required claims, lifetime.</summary>
    private AwsError? CheckUnsignedParts(JsonWebToken jwt, OidcProvider provider)
    {
        if (!OidcTokenRules.AllowedAlgorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return CognitoErrors.InvalidLoginToken("Couldn't verify signed token.");
        }

        if (!string.Equals(OidcProviderUrl.NormalizeIssuer(jwt.Issuer ?? string.Empty), OidcProviderUrl.NormalizeIssuer(provider.Url), StringComparison.Ordinal))
        {
            return CognitoErrors.InvalidLoginToken("Issuer doesn't match providerName");
        }

        if (OidcTokenRules.MissingRequiredClaim(jwt) is { } claim)
        {
            return CognitoErrors.InvalidLoginToken($"Missing a required claim: {claim}");
        }

        return OidcTokenRules.LifetimeFailure(jwt, _time.GetUtcNow(), _options.ClockSkew) is { } lifetime
            ? CognitoErrors.NotAuthorized(lifetime)
            : null;
    }

    private async Task<Result<Unit>> CheckSignatureAsync(JsonWebToken jwt, OidcProvider provider, CancellationToken cancellationToken)
    {
        var lookup = await _keys.LookupAsync(jwt.Issuer, string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid, cancellationToken);
        if (lookup.Failure is { } unavailable)
        {
            return CognitoErrors.InvalidLoginToken(unavailable);
        }

        if (lookup.Keys is null)
        {
            return CognitoErrors.UnsupportedProvider(); // Deleted from IAM between the two look-ups.
        }

        // The token parsed once above is validated as it is (the string overload would parse it a second time).
        var result = await _handler.ValidateTokenAsync(jwt, ParametersFor(provider, lookup.Keys, hasKid: !string.IsNullOrEmpty(jwt.Kid)));
        if (result.IsValid)
        {
            return Unit.Value;
        }

        return result.Exception is SecurityTokenInvalidAudienceException
            ? CognitoErrors.UnsupportedProvider()
            : CognitoErrors.InvalidLoginToken("Couldn't verify signed token.");
    }

    /// <summary>
    /// The validation parameters of a provider and key set, built once and reused until either changes (the directory
    /// hands out a new provider object after an IAM change, the key source a new key set after a JWKS fetch).
    /// </summary>
    private TokenValidationParameters ParametersFor(OidcProvider provider, IssuerKeys keys, bool hasKid)
    {
        if (!_plans.TryGetValue(provider.Arn, out var plan) || !ReferenceEquals(plan.Provider, provider) || !ReferenceEquals(plan.Keys, keys))
        {
            plan = new ValidationPlan(provider, keys, Parameters(provider, keys, tryAllKeys: false), Parameters(provider, keys, tryAllKeys: true));
            if (_plans.Count > MaxPlans)
            {
                _plans.Clear();
            }

            _plans[provider.Arn] = plan;
        }

        return hasKid ? plan.WithKid : plan.WithoutKid;
    }

    private static TokenValidationParameters Parameters(OidcProvider provider, IssuerKeys keys, bool tryAllKeys)
    {
        // iss was compared with the provider URL (one trailing slash aside) before this point; IdentityModel checks it
        // again, exactly, against the two spellings that comparison accepts.
        var issuer = OidcProviderUrl.NormalizeIssuer(provider.Url);
        return new TokenValidationParameters
        {
            ValidIssuers = [issuer, issuer + "/"],
            ValidAlgorithms = OidcTokenRules.AllowedAlgorithms,
            IssuerSigningKeys = keys.Keys,

            // With a kid, only the key of that kid may verify; without one, any of the issuer's keys may.
            TryAllIssuerSigningKeys = tryAllKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,

            // IdentityModel 8 reads the system clock for exp/nbf (its TimeProvider hook is internal); the lifetime is
            // checked on the injected TimeProvider by OidcTokenRules.LifetimeFailure before this point instead.
            ValidateLifetime = false,

            // Cognito's rule (azp when present, else aud) is not IdentityModel's, so the audience check is this delegate.
            AudienceValidator = (_, token, _) => token is JsonWebToken checkedToken && OidcTokenRules.IsAudienceAccepted(checkedToken, provider.ClientIds),
        };
    }

    private async Task<OidcProvider?> ProviderForAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        foreach (var arn in pool.OpenIdConnectProviderARNs ?? [])
        {
            var provider = await _directory.FindByArnAsync(arn, cancellationToken);
            if (provider is not null && string.Equals(provider.ProviderKey, providerKey, StringComparison.Ordinal))
            {
                return provider;
            }
        }

        return null;
    }

    private sealed record ValidationPlan(OidcProvider Provider, IssuerKeys Keys, TokenValidationParameters WithKid, TokenValidationParameters WithoutKid);
}
