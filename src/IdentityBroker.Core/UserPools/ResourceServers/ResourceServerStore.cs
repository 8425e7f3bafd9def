using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.ResourceServers;

/// <summary>Where a pool's resource servers live, by identifier, listed in creation order. Deleting the pool deletes them.</summary>
public interface IResourceServerStore
{
    /// <returns>False when the pool does not exist or has a resource server with this identifier.</returns>
    Task<bool> TryCreateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken);

    Task<ResourceServer?> GetResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken);

    /// <returns>False when the resource server does not exist.</returns>
    Task<bool> UpdateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken);

    /// <returns>False when the resource server did not exist.</returns>
    Task<bool> DeleteResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken);

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<ResourceServer>> ListResourceServersAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken);
}
