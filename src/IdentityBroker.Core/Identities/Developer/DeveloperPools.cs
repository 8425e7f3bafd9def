using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Identities.Developer;

/// <summary>The pool of a developer-identity call: it exists and has a DeveloperProviderName (the one named, if any).</summary>
internal static class DeveloperPools
{
    public static async Task<Result<IdentityPool>> FindAsync(
        PoolDirectory pools, string poolId, string? developerProviderName, CancellationToken cancellationToken)
    {
        var pool = await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        if (pool.DeveloperProviderName is null)
        {
            return CognitoErrors.InvalidParameter($"Identity pool '{poolId}' has no developer provider (DeveloperProviderName).");
        }

        if (developerProviderName is not null && developerProviderName != pool.DeveloperProviderName)
        {
            return CognitoErrors.InvalidParameter($"Developer provider '{developerProviderName}' is not the developer provider of identity pool '{poolId}'.");
        }

        return pool;
    }
}
