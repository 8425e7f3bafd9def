using IdentityBroker.Errors;
using IdentityBroker.Iam;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// Validates ID tokens of the generic OpenID Connect providers a pool lists in OpenIdConnectProviderARNs; the Logins key is
/// the provider URL without its scheme (notes §3). Checks, in order: size and form (<see cref="CompactJws"/>), algorithm
/// allow-list and no <c>crit</c>, <c>iss</c> equals the provider URL, required claims, lifetime (on
/// <see cref="TimeProvider"/>), signature with the issuer's keys (<see cref="JwsVerifier"/>), and <c>azp</c>/<c>aud</c>
/// among the provider's client ids. Failures are NotAuthorizedException in Cognito's words and never carry the token.
/// </summary>
/// <remarks>
/// The JWS is checked here rather than by IdentityModel's JsonWebTokenHandler: on GetId the handler's parsing and
/// validation cost as much CPU as the RSA verify itself (docs/performance.md, round 2).
/// </remarks>
public sealed class OidcLoginValidator : ILoginValidator
{
    private const string SignatureFailure = "Couldn't verify signed token.";

    private readonly OidcProviderDirectory _directory;
    private readonly OidcProviderKeys _keys;
    private readonly OidcOptions _options;
    private readonly TimeProvider _time;

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

        var jws = CompactJws.Parse(token, OidcTokenRules.MaxTokenLength);
        if (jws is null)
        {
            return CognitoErrors.InvalidLoginToken("Not a valid OpenId Connect identity token.");
        }

        if (CheckUnsignedParts(jws, provider) is { } failure)
        {
            return failure;
        }

        var signed = await CheckSignatureAsync(jws, token, provider, cancellationToken);
        if (!signed.IsSuccess)
        {
            return signed.Error!;
        }

        var subject = jws.Claims.Subject!;
        return new ValidatedLogin(providerKey, subject, $"{provider.Arn}:OIDC:{subject}", new LazyTokenClaims(jws.Claims.Payload));
    }

    /// <summary>What can be refused before any key is fetched: algorithm, crit, issuer, required claims, lifetime.</summary>
    private AwsError? CheckUnsignedParts(CompactJws jws, OidcProvider provider)
    {
        if (!OidcTokenRules.AllowedAlgorithms.Contains(jws.Algorithm, StringComparer.Ordinal) || jws.HasCriticalHeader)
        {
            return CognitoErrors.InvalidLoginToken(SignatureFailure);
        }

        if (!string.Equals(OidcProviderUrl.NormalizeIssuer(jws.Claims.Issuer), OidcProviderUrl.NormalizeIssuer(provider.Url), StringComparison.Ordinal))
        {
            return CognitoErrors.InvalidLoginToken("Issuer doesn't match providerName");
        }

        if (OidcTokenRules.MissingRequiredClaim(jws.Claims) is { } claim)
        {
            return CognitoErrors.InvalidLoginToken($"Missing a required claim: {claim}");
        }

        return OidcTokenRules.LifetimeFailure(jws.Claims, _time.GetUtcNow(), _options.ClockSkew) is { } lifetime
            ? CognitoErrors.NotAuthorized(lifetime)
            : null;
    }

    private async Task<Result<Unit>> CheckSignatureAsync(CompactJws jws, string token, OidcProvider provider, CancellationToken cancellationToken)
    {
        // An unknown kid makes the key source refetch the JWKS (rate-limited) before answering.
        var lookup = await _keys.LookupAsync(jws.Claims.Issuer, jws.KeyId, cancellationToken);
        if (lookup.Failure is { } unavailable)
        {
            return CognitoErrors.InvalidLoginToken(unavailable);
        }

        if (lookup.Keys is null || lookup.Verifier is null)
        {
            return CognitoErrors.UnsupportedProvider(); // Deleted from IAM between the two look-ups.
        }

        if (!lookup.Verifier.Verify(jws, token))
        {
            return CognitoErrors.InvalidLoginToken(SignatureFailure);
        }

        // Cognito's rule: azp when present, else aud, among the client ids; checked on signed claims only.
        return OidcTokenRules.IsAudienceAccepted(jws.Claims, provider.ClientIds) ? Unit.Value : CognitoErrors.UnsupportedProvider();
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
}
