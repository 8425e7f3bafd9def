using System.Text.Json;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : IUserPoolTagStore
{
    /// <remarks>Read and write in one write transaction: the single writer makes the change atomic.</remarks>
    public Task<bool> ChangeUserPoolTagsAsync(
        string userPoolId,
        Func<IReadOnlyDictionary<string, string>?, IReadOnlyDictionary<string, string>?> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync((userPoolId, change), static async (s, c, ct) =>
        {
            var read = s.Command("SELECT document FROM user_pools WHERE id = $id;");
            read.Parameters.AddWithValue("$id", c.userPoolId);
            if (await read.ExecuteScalarAsync(ct) is not string document)
            {
                return false;
            }

            var pool = DeserializeUserPool(document);
            var tags = c.change(pool.Settings.UserPoolTags);
            if (!ReferenceEquals(tags, pool.Settings.UserPoolTags))
            {
                var write = s.Command("UPDATE user_pools SET document = $document WHERE id = $id;");
                write.Parameters.AddWithValue("$id", c.userPoolId);
                write.Parameters.AddWithValue("$document", JsonSerializer.Serialize(
                    pool with { Settings = pool.Settings with { UserPoolTags = tags } }, StoreJsonContext.Default.UserPool));
                await write.ExecuteNonQueryAsync(ct);
            }

            return true;
        }, cancellationToken);
    }
}
