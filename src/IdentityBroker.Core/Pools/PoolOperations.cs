using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>CreateIdentityPool, DescribeIdentityPool, UpdateIdentityPool, DeleteIdentityPool, ListIdentityPools.</summary>
public sealed class PoolOperations(PoolDirectory pools, PoolConfigurationRules rules, IdentityIds ids, TimeProvider time)
{
    /// <summary>Identity pools per account (notes §9).</summary>
    public const int MaxPools = 1000;

    private IPoolStore Store => pools.Store;

    public async Task<Result<IdentityPoolShape>> CreateAsync(CreateIdentityPoolRequest request, CancellationToken cancellationToken)
    {
        var pool = PoolShapes.Create(ids.NewId(), request, time.GetUtcNow());
        if (await rules.CheckAsync(pool, cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        if (await Store.CountPoolsAsync(cancellationToken).ConfigureAwait(false) >= MaxPools)
        {
            return CognitoErrors.LimitExceeded($"You have reached the limit of {MaxPools} identity pools.");
        }

        await Store.CreatePoolAsync(pool, cancellationToken).ConfigureAwait(false);
        return PoolShapes.ToShape(pool);
    }

    public async Task<Result<IdentityPoolShape>> DescribeAsync(IdentityPoolIdRequest request, CancellationToken cancellationToken)
    {
        var pool = await Store.GetPoolAsync(request.IdentityPoolId!, cancellationToken).ConfigureAwait(false);
        return pool is null ? CognitoErrors.PoolNotFound(request.IdentityPoolId!) : PoolShapes.ToShape(pool);
    }

    public async Task<Result<IdentityPoolShape>> UpdateAsync(IdentityPoolShape request, CancellationToken cancellationToken)
    {
        var current = await Store.GetPoolAsync(request.IdentityPoolId!, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return CognitoErrors.PoolNotFound(request.IdentityPoolId!);
        }

        // The model: "Once you have set a developer provider name, you cannot change it."
        if (current.DeveloperProviderName is { } developer && request.DeveloperProviderName is { } requested && requested != developer)
        {
            return CognitoErrors.InvalidParameter("DeveloperProviderName cannot be changed once it has been set.");
        }

        var updated = PoolShapes.Apply(request, current);
        if (await rules.CheckAsync(updated, cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        if (!await Store.UpdatePoolAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(request.IdentityPoolId!);
        }

        pools.Invalidate(updated.IdentityPoolId);
        return PoolShapes.ToShape(updated);
    }

    public async Task<Result<Unit>> DeleteAsync(IdentityPoolIdRequest request, CancellationToken cancellationToken)
    {
        var deleted = await Store.DeletePoolAsync(request.IdentityPoolId!, cancellationToken).ConfigureAwait(false);
        pools.Invalidate(request.IdentityPoolId!);
        return deleted ? Unit.Value : CognitoErrors.PoolNotFound(request.IdentityPoolId!);
    }

    public async Task<Result<ListIdentityPoolsResponse>> ListAsync(ListIdentityPoolsRequest request, CancellationToken cancellationToken)
    {
        var page = await Paging.ReadAsync(() => Store.ListPoolsAsync(request.MaxResults!.Value, request.NextToken, cancellationToken)).ConfigureAwait(false);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        return new ListIdentityPoolsResponse
        {
            IdentityPools = [.. page.Value.Items.Select(p => new IdentityPoolShortDescription { IdentityPoolId = p.IdentityPoolId, IdentityPoolName = p.IdentityPoolName })],
            NextToken = page.Value.NextToken,
        };
    }
}
