using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Federation;

/// <summary>
/// A login whose token passed every check of its provider. Only validators build it (internal constructor), so mapping
/// and minting cannot be handed an unvalidated token.
/// </summary>
public sealed class ValidatedLogin
{
    internal ValidatedLogin(string providerKey, string subject, string authenticationReference, IReadOnlyDictionary<string, IReadOnlyList<string>> claims)
    {
        ProviderKey = providerKey;
        Subject = subject;
        AuthenticationReference = authenticationReference;
        Claims = claims;
    }

    /// <summary>The Logins key, e.g. <c>accounts.google.com</c> or an OIDC issuer without scheme.</summary>
    public string ProviderKey { get; }

    /// <summary>The provider's stable id for the user (the token's <c>sub</c> for OIDC).</summary>
    public string Subject { get; }

    /// <summary>
    /// The provider-qualified entry of the broker token's <c>amr</c>, as Cognito writes it
    /// (OIDC: <c>&lt;OIDC provider ARN&gt;:OIDC:&lt;sub&gt;</c>; Amazon Cognito Developer Guide, "IAM roles", amr).
    /// </summary>
    public string AuthenticationReference { get; }

    /// <summary>The token's claims as strings (arrays flattened to several values), for role mapping and principal tags.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Claims { get; }

    /// <summary>The validated JWT payload (claims with their arrays and nested objects); null for logins that are not JWTs.</summary>
    public byte[]? ClaimsPayload => Claims is Jwt.LazyTokenClaims lazy ? lazy.Payload : null;

    /// <summary>
    /// Set only for the broker's own token presented under <c>cognito-identity.amazonaws.com</c> (developer flow):
    /// the login proves exactly this identity and is never linked as a login (Federation/Developer).
    /// </summary>
    public string? ProvenIdentityId { get; internal init; }

    /// <summary>Principal tags the login carries as they are (developer PrincipalTags, GetOpenIdTokenForDeveloperIdentity); null for none.</summary>
    public IReadOnlyDictionary<string, string>? PrincipalTags { get; internal init; }

    /// <summary>
    /// When the presented login stops being valid, where the login says so: a JWT's <c>exp</c>, a SAML assertion's
    /// <c>SessionNotOnOrAfter</c>, a Facebook or Login with Amazon access token's expiry. Null when the login sets no end
    /// (a SAML assertion without SessionNotOnOrAfter, a non-expiring Facebook token, a developer user vouched for by a signed
    /// call). <c>Broker:Credentials:CapAtLoginExpiry</c> caps the credentials' duration at it (docs/credentials.md).
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; internal init; }

    /// <summary>True when this login is linked to identities (every login except a proof of identity).</summary>
    public bool IsLinkable => ProvenIdentityId is null;
}

/// <summary>Validates the token of one kind of provider (one implementation per provider kind).</summary>
public interface ILoginValidator
{
    /// <summary>True when this validator is the one for <paramref name="providerKey"/> in <paramref name="pool"/>.</summary>
    ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken);

    /// <summary>Every failure is a NotAuthorizedException with a useful message (never the token itself).</summary>
    ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken);
}
