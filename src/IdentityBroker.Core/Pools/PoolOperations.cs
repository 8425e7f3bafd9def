using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>CreateIdentityPool, DescribeIdentityPool, UpdateIdentityPool, DeleteIdentityPool, ListIdentityPools.</summary>
public sealed class PoolOperations(PoolDirectory pools, PoolConfigurationRules rules, IdentityIds ids, TimeProvider time)
{
    /// <summary>Identity pools per account (Amazon Cognito Developer Guide, "Quotas in Amazon Cognito": 1,000, not adjustable).</summary>
    public const int MaxPools = 1000;

    private IPoolStore Store => pools.Store;

    public async Task<Result<IdentityPool>> CreateAsync(CreatePool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = command.Settings.NewPool(ids.NewId(), time.GetUtcNow());
        if (await rules.CheckAsync(pool, cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        if (await Store.CountPoolsAsync(cancellationToken).ConfigureAwait(false) >= MaxPools)
        {
            return CognitoErrors.LimitExceeded($"You have reached the limit of {MaxPools} identity pools.");
        }

        await Store.CreatePoolAsync(pool, cancellationToken).ConfigureAwait(false);
        return pool;
    }

    public async Task<Result<IdentityPool>> DescribeAsync(DescribePool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await Store.GetPoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? CognitoErrors.PoolNotFound(command.IdentityPoolId) : pool;
    }

    public async Task<Result<IdentityPool>> UpdateAsync(UpdatePool command, CancellationToken cancellationToken)
    {
        var checkedPool = await CheckUpdateAsync(command, cancellationToken).ConfigureAwait(false);
        if (!checkedPool.IsSuccess)
        {
            return checkedPool;
        }

        var updated = checkedPool.Value;
        if (!await Store.UpdatePoolAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        pools.Invalidate(updated.IdentityPoolId);
        return updated;
    }

    /// <summary>
    /// Every write-time check of <see cref="UpdateAsync"/> without the write: the pool as it would be stored, or the error
    /// UpdateIdentityPool would answer (the console's review step shows it before anything is saved).
    /// </summary>
    public async Task<Result<IdentityPool>> CheckUpdateAsync(UpdatePool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var current = await Store.GetPoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        // The model: "Once you have set a developer provider name, you cannot change it."
        if (current.DeveloperProviderName is { } developer && command.Settings.DeveloperProviderName is { } requested && requested != developer)
        {
            return CognitoErrors.InvalidParameter("DeveloperProviderName cannot be changed once it has been set.");
        }

        var updated = command.Settings.ApplyTo(current);
        return await rules.CheckAsync(updated, cancellationToken).ConfigureAwait(false) is { } invalid ? Result<IdentityPool>.Fail(invalid) : updated;
    }

    public async Task<Result<Unit>> DeleteAsync(DeletePool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var deleted = await Store.DeletePoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        pools.Invalidate(command.IdentityPoolId);
        return deleted ? Unit.Value : CognitoErrors.PoolNotFound(command.IdentityPoolId);
    }

    public Task<Result<Page<IdentityPool>>> ListAsync(ListPools command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Paging.ReadAsync(() => Store.ListPoolsAsync(command.MaxResults, command.NextToken, cancellationToken));
    }
}
