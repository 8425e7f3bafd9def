using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Observability;
using IdentityBroker.Storage;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// Replay policy for SAML assertions (docs/saml.md): an app legitimately sends one response several times within its
/// validity (GetId, then GetCredentialsForIdentity), so reuse is allowed, but only as the same login: the first use binds
/// the assertion ID to (pool, provider, NameID, signed content). A later use with any other binding, a use after the
/// recorded validity, or a second use of a OneTimeUse assertion is refused.
/// </summary>
public sealed class SamlReplayGuard(ISamlProviderStore store, BrokerMetrics? metrics = null)
{
    /// <summary>Records are kept this long after the assertion's validity so that a late reuse is still recognised.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    internal async Task<string?> CheckAsync(string poolId, string providerArn, SamlAssertionData data, string signatureValue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Hash(providerArn, data.AssertionId);
        var binding = Hash(poolId, providerArn, data.NameId, signatureValue);
        var use = new SamlAssertionUse(key, binding, data.ValidUntil, data.OneTimeUse, data.ValidUntil + Retention);
        var kept = await store.RecordAssertionUseAsync(use, now, cancellationToken).ConfigureAwait(false);
        if (kept is null)
        {
            return null;
        }

        var refused = Refusal(kept, binding, now);
        if (refused is not null)
        {
            metrics?.SamlReplayRefused();
        }

        return refused;
    }

    /// <summary>
    /// Records an IdP-initiated LogoutRequest of a user pool's provider by its ID (SAML Core §3.2.1: an ID is never
    /// reused), so that it ends sessions once: a second delivery, even within its validity, is refused.
    /// </summary>
    /// <returns>True for the first delivery.</returns>
    public async Task<bool> FirstLogoutRequestAsync(string userPoolId, string providerName, ValidatedLogoutRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var use = new SamlAssertionUse(Hash("userpool-logout-request", userPoolId, providerName, request.Id), Hash(request.NameId),
            request.ValidUntil, OneTimeUse: true, request.ValidUntil + Retention);
        if (await store.RecordAssertionUseAsync(use, now, cancellationToken).ConfigureAwait(false) is null)
        {
            return true;
        }

        metrics?.SamlReplayRefused();
        return false;
    }

    private static string? Refusal(SamlAssertionUse kept, string binding, DateTimeOffset now)
    {
        if (!string.Equals(kept.Binding, binding, StringComparison.Ordinal))
        {
            return "This SAML assertion ID was already used for a different login.";
        }

        if (now >= kept.ValidUntil)
        {
            return "This SAML assertion was first seen with a validity that has ended.";
        }

        return kept.OneTimeUse ? "This SAML assertion is OneTimeUse and was already used." : null;
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts.Select(p => $"{p.Length}:{p}")))));
}
