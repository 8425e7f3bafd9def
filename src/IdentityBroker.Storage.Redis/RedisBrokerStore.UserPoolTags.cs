using System.Text.Json;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore : IUserPoolTagStore
{
    /// <remarks>
    /// Optimistic: the new document is written only if the stored one is still the one read (a transaction with a
    /// hash-field condition), else the change is applied again to the newer document.
    /// </remarks>
    public Task<bool> ChangeUserPoolTagsAsync(
        string userPoolId,
        Func<IReadOnlyDictionary<string, string>?, IReadOnlyDictionary<string, string>?> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return GuardAsync(async () =>
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var document = await Db.HashGetAsync(_keys.UserPoolDocuments, userPoolId).ConfigureAwait(false);
                if (document.IsNull)
                {
                    return false;
                }

                var pool = DeserializeUserPool(document!);
                var tags = change(pool.Settings.UserPoolTags);
                if (ReferenceEquals(tags, pool.Settings.UserPoolTags))
                {
                    return true;
                }

                var transaction = Db.CreateTransaction();
                transaction.AddCondition(Condition.HashEqual(_keys.UserPoolDocuments, userPoolId, document));
                _ = transaction.HashSetAsync(_keys.UserPoolDocuments, userPoolId,
                    JsonSerializer.Serialize(pool with { Settings = pool.Settings with { UserPoolTags = tags } }, StoreJsonContext.Default.UserPool));
                if (await transaction.ExecuteAsync().ConfigureAwait(false))
                {
                    return true;
                }
            }
        });
    }
}
