using IdentityBroker.Errors;

namespace IdentityBroker.Pools;

/// <summary>Reads and replaces a pool's own limits (<c>GET</c>/<c>PUT /admin/api/pools/{id}/limits</c>); a refused write changes nothing.</summary>
public sealed class PoolLimitOperations(PoolDirectory pools)
{
    public async Task<Result<PoolLimits>> GetAsync(string poolId, CancellationToken cancellationToken)
    {
        var pool = await pools.Store.GetPoolAsync(poolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? CognitoErrors.PoolNotFound(poolId) : pool.Limits ?? new PoolLimits();
    }

    public async Task<Result<PoolLimits>> SetAsync(string poolId, PoolLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Problem() is { } problem)
        {
            return CognitoErrors.InvalidParameter(problem);
        }

        var pool = await pools.Store.GetPoolAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        var none = limits.MaxCredentialDurationSeconds is null && limits.MaxGuestIdentities is null;
        if (!await pools.Store.UpdatePoolAsync(pool with { Limits = none ? null : limits }, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        pools.Invalidate(poolId);
        return limits;
    }
}
