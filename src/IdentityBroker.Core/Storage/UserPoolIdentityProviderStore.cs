using IdentityBroker.UserPools.Federation;

namespace IdentityBroker.Storage;

/// <summary>
/// The identity providers of the user pools. A provider is keyed by its pool and exact ProviderName; each of its
/// IdpIdentifiers is claimed in the same atomic step as its write, so two providers of a pool never share one.
/// Deleting a pool deletes its providers.
/// </summary>
public interface IUserPoolIdentityProviderStore
{
    Task<ProviderWrite> TryCreateProviderAsync(PoolIdentityProvider provider, CancellationToken cancellationToken);

    Task<PoolIdentityProvider?> GetProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken);

    /// <summary>The provider of this pool that lists <paramref name="idpIdentifier"/> (exact match), or null.</summary>
    Task<PoolIdentityProvider?> FindProviderByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken cancellationToken);

    /// <summary>Replaces an existing provider and its identifiers (identifiers it no longer lists are freed).</summary>
    Task<ProviderWrite> UpdateProviderAsync(PoolIdentityProvider provider, CancellationToken cancellationToken);

    /// <returns>False when the provider did not exist.</returns>
    Task<bool> DeleteProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken);

    /// <summary>A pool's providers in creation order, <paramref name="limit"/> at a time.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<PoolIdentityProvider>> ListProvidersAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken);
}

/// <summary>What a provider write did.</summary>
public enum ProviderWrite
{
    Written,
    NoPool,

    /// <summary>Create: a provider of the pool has this name.</summary>
    NameTaken,

    /// <summary>One of the IdpIdentifiers is another provider's.</summary>
    IdentifierTaken,

    /// <summary>Update: the provider does not exist.</summary>
    NotFound,
}
