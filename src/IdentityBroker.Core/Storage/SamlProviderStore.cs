using IdentityBroker.Iam;

namespace IdentityBroker.Storage;

/// <summary>
/// The first use of one SAML assertion, kept for replay protection (docs/saml.md, "Replay policy").
/// </summary>
/// <param name="Key">The provider ARN and the assertion's ID, hashed: the same assertion always has the same key.</param>
/// <param name="Binding">A hash of what the assertion resolved to the first time (pool, provider, subject, signed content).</param>
/// <param name="ValidUntil">The end of the assertion's validity (its earliest NotOnOrAfter plus the clock skew).</param>
/// <param name="OneTimeUse">The assertion carried the OneTimeUse condition (SAML Core 2.5.1.5): a second use is refused.</param>
/// <param name="RetainUntil">The record is kept until then, well after <paramref name="ValidUntil"/>, so a late reuse is still recognised.</param>
public sealed record SamlAssertionUse(string Key, string Binding, DateTimeOffset ValidUntil, bool OneTimeUse, DateTimeOffset RetainUntil);

/// <summary>Where the IAM SAML providers and the SAML replay records live.</summary>
public interface ISamlProviderStore
{
    /// <returns>False when a provider with this ARN exists.</returns>
    Task<bool> TryCreateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken);

    Task<SamlProvider?> GetSamlProviderAsync(string arn, CancellationToken cancellationToken);

    /// <returns>False when the provider does not exist.</returns>
    Task<bool> UpdateSamlProviderAsync(SamlProvider provider, CancellationToken cancellationToken);

    /// <returns>False when the provider does not exist.</returns>
    Task<bool> DeleteSamlProviderAsync(string arn, CancellationToken cancellationToken);

    /// <returns>All SAML providers ordered by ARN.</returns>
    Task<IReadOnlyList<SamlProvider>> ListSamlProvidersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Atomically records <paramref name="use"/> unless a record with its key exists. Records whose RetainUntil is
    /// before <paramref name="now"/> are forgotten first (the key may then be recorded anew).
    /// </summary>
    /// <returns>Null when <paramref name="use"/> was recorded (a first use); else the earlier record, unchanged.</returns>
    Task<SamlAssertionUse?> RecordAssertionUseAsync(SamlAssertionUse use, DateTimeOffset now, CancellationToken cancellationToken);
}
