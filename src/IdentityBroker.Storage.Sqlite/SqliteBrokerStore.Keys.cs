namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    private const string SelectKeysSql =
        "SELECT key_id, purpose, material, created FROM keys WHERE purpose = $purpose ORDER BY created, key_id;";

    private const string InsertKeySql =
        "INSERT INTO keys (key_id, purpose, material, created) VALUES ($id, $purpose, $material, $created) "
        + "ON CONFLICT (key_id) DO NOTHING;";

    /// <returns>The keys of <paramref name="purpose"/>, oldest first.</returns>
    public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
        ReadAsync(purpose, static async (s, purpose, ct) =>
        {
            var command = s.Command(SelectKeysSql);
            command.Parameters.AddWithValue("$purpose", purpose);
            var keys = new List<StoredKey>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(new StoredKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromTicks(reader.GetInt64(3))));
            }

            return (IReadOnlyList<StoredKey>)keys;
        }, cancellationToken);

    public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(key, static async (s, key, ct) =>
        {
            var command = s.Command(InsertKeySql);
            command.Parameters.AddWithValue("$id", key.KeyId);
            command.Parameters.AddWithValue("$purpose", key.Purpose);
            command.Parameters.AddWithValue("$material", key.Material);
            command.Parameters.AddWithValue("$created", ToTicks(key.CreatedAt));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }
}
