using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore : IIdentityPoolTagStore
{
    /// <remarks>
    /// Optimistic: the new document is written only if the stored one is still the one read (a transaction with a
    /// hash-field condition), else the change is applied again to the newer document. Other replicas drop the pool
    /// from their caches on the published change.
    /// </remarks>
    public Task<bool> ChangeIdentityPoolTagsAsync(
        string poolId,
        Func<IReadOnlyDictionary<string, string>?, IReadOnlyDictionary<string, string>?> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return GuardAsync(async () =>
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var document = await Db.HashGetAsync(_keys.PoolDocuments, poolId).ConfigureAwait(false);
                if (document.IsNull)
                {
                    return false;
                }

                var pool = DeserializePool(document!);
                var tags = change(pool.IdentityPoolTags);
                if (ReferenceEquals(tags, pool.IdentityPoolTags))
                {
                    return true;
                }

                var transaction = Db.CreateTransaction();
                transaction.AddCondition(Condition.HashEqual(_keys.PoolDocuments, poolId, document));
                _ = transaction.HashSetAsync(_keys.PoolDocuments, poolId, Serialize(pool with { IdentityPoolTags = tags }));
                if (await transaction.ExecuteAsync().ConfigureAwait(false))
                {
                    PublishPoolChange(poolId);
                    return true;
                }
            }
        });
    }
}
