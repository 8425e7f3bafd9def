using System.Text.Json;
using IdentityBroker.Pools;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    private const string InsertPoolSql =
        "INSERT INTO pools (id, name, document, created) VALUES ($id, $name, $document, $created) ON CONFLICT (id) DO NOTHING;";

    private const string SelectPoolSql = "SELECT document FROM pools WHERE id = $id;";
    private const string UpdatePoolSql = "UPDATE pools SET name = $name, document = $document WHERE id = $id;";
    private const string DeletePoolSql = "DELETE FROM pools WHERE id = $id;";
    private const string CountPoolsSql = "SELECT COUNT(*) FROM pools;";
    private const string ListPoolsSql = "SELECT seq, document FROM pools WHERE seq > $after ORDER BY seq LIMIT $limit;";

    public async Task CreatePoolAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var created = await WriteAsync(pool, static async (s, pool, ct) =>
        {
            var command = s.Command(InsertPoolSql);
            command.Parameters.AddWithValue("$id", pool.IdentityPoolId);
            command.Parameters.AddWithValue("$name", pool.IdentityPoolName);
            command.Parameters.AddWithValue("$document", Serialize(pool));
            command.Parameters.AddWithValue("$created", ToTicks(pool.CreationDate));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
        if (!created)
        {
            // Pool ids are generated GUIDs: a repeat is a bug in the caller, not a client error.
            throw new InvalidOperationException($"Identity pool '{pool.IdentityPoolId}' already exists.");
        }
    }

    public Task<IdentityPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken) =>
        ReadAsync(poolId, static async (s, poolId, ct) =>
        {
            var command = s.Command(SelectPoolSql);
            command.Parameters.AddWithValue("$id", poolId);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializePool(document) : null;
        }, cancellationToken);

    public Task<bool> UpdatePoolAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return WriteAsync(pool, static async (s, pool, ct) =>
        {
            var command = s.Command(UpdatePoolSql);
            command.Parameters.AddWithValue("$id", pool.IdentityPoolId);
            command.Parameters.AddWithValue("$name", pool.IdentityPoolName);
            command.Parameters.AddWithValue("$document", Serialize(pool));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    /// <summary>Foreign keys cascade the delete to the pool's identities and from them to their logins.</summary>
    public Task<bool> DeletePoolAsync(string poolId, CancellationToken cancellationToken) =>
        WriteAsync(poolId, static async (s, poolId, ct) =>
        {
            var command = s.Command(DeletePoolSql);
            command.Parameters.AddWithValue("$id", poolId);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<IdentityPool>> ListPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.Pools, nextToken);
        return ReadAsync((after, maxResults), static async (s, request, ct) =>
        {
            var command = s.Command(ListPoolsSql);
            return await SqlitePages.ReadAsync(command, request.after, request.maxResults, PageCursorKind.Pools, DeserializePool, ct);
        }, cancellationToken);
    }

    public Task<int> CountPoolsAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static async (s, _, ct) =>
            Convert.ToInt32(await s.Command(CountPoolsSql).ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken);

    private static string Serialize(IdentityPool pool) => JsonSerializer.Serialize(pool, StoreJsonContext.Default.IdentityPool);

    private static IdentityPool DeserializePool(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.IdentityPool)
        ?? throw new InvalidDataException("A stored identity pool document is null.");
}
