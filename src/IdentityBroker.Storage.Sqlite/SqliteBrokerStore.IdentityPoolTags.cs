namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : IIdentityPoolTagStore
{
    /// <remarks>Read and write in one write transaction: the single writer makes the change atomic.</remarks>
    public Task<bool> ChangeIdentityPoolTagsAsync(
        string poolId,
        Func<IReadOnlyDictionary<string, string>?, IReadOnlyDictionary<string, string>?> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync((poolId, change), static async (s, c, ct) =>
        {
            var read = s.Command(SelectPoolSql);
            read.Parameters.AddWithValue("$id", c.poolId);
            if (await read.ExecuteScalarAsync(ct) is not string document)
            {
                return false;
            }

            var pool = DeserializePool(document);
            var tags = c.change(pool.IdentityPoolTags);
            if (!ReferenceEquals(tags, pool.IdentityPoolTags))
            {
                var write = s.Command(UpdatePoolSql);
                write.Parameters.AddWithValue("$id", pool.IdentityPoolId);
                write.Parameters.AddWithValue("$name", pool.IdentityPoolName);
                write.Parameters.AddWithValue("$document", Serialize(pool with { IdentityPoolTags = tags }));
                await write.ExecuteNonQueryAsync(ct);
            }

            return true;
        }, cancellationToken);
    }
}
