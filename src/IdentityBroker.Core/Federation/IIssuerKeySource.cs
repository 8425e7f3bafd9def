using IdentityBroker.Federation.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation;

/// <summary>
/// Verification keys of a token issuer the broker trusts: the broker itself, or a registered OpenID Connect provider
/// (discovery + JWKS, cached, refreshed on an unknown kid with a rate limit).
/// </summary>
public interface IIssuerKeySource
{
    /// <summary>Returns the issuer's current keys, or null when the issuer is neither the broker nor a registered provider.</summary>
    /// <param name="issuer">The token's <c>iss</c> claim, exactly.</param>
    /// <param name="keyId">The token's <c>kid</c>; an unknown kid triggers a (rate-limited) refresh.</param>
    ValueTask<IssuerKeys?> GetKeysAsync(string issuer, string? keyId, CancellationToken cancellationToken);
}

/// <param name="Issuer">The issuer URL.</param>
/// <param name="Keys">Its verification keys.</param>
/// <param name="IsBroker">True when the issuer is this broker.</param>
/// <param name="ProviderArn">The IAM OIDC-provider ARN for this issuer (for the broker: the ARN it would have in IAM).</param>
public sealed record IssuerKeys(string Issuer, IReadOnlyList<SecurityKey> Keys, bool IsBroker, string ProviderArn)
{
    private JwsVerifier? _verifier;

    /// <summary>
    /// The key objects that verify for this issuer: set by the source (built once per JWKS fetch or key-ring load, each
    /// key bound to its algorithm where the source knows it), else built from <see cref="Keys"/> on first use.
    /// </summary>
    internal JwsVerifier Verifier
    {
        get => _verifier ??= JwsVerifier.From(Keys, _ => null);
        init => _verifier = value;
    }
}
