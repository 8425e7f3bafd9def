using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>A table of JSON documents under a text key (IAM roles, OIDC providers) and its statements.</summary>
internal sealed class SqliteDocumentTable<T>
    where T : class
{
    private readonly JsonTypeInfo<T> _json;
    private readonly Func<T, string> _keyOf;
    private readonly string _insertSql;
    private readonly string _selectSql;
    private readonly string _updateSql;
    private readonly string _deleteSql;
    private readonly string _listSql;

    /// <param name="table">A table name from the schema, never input.</param>
    /// <param name="keyColumn">Its key column.</param>
    public SqliteDocumentTable(string table, string keyColumn, JsonTypeInfo<T> json, Func<T, string> keyOf)
    {
        _json = json;
        _keyOf = keyOf;
        _insertSql = $"INSERT INTO {table} ({keyColumn}, document) VALUES ($key, $document) ON CONFLICT ({keyColumn}) DO NOTHING;";
        _selectSql = $"SELECT document FROM {table} WHERE {keyColumn} = $key;";
        _updateSql = $"UPDATE {table} SET document = $document WHERE {keyColumn} = $key;";
        _deleteSql = $"DELETE FROM {table} WHERE {keyColumn} = $key;";
        _listSql = $"SELECT document FROM {table} ORDER BY {keyColumn};";
    }

    public async Task<bool> InsertAsync(SqliteSession s, T item, CancellationToken ct) =>
        await ExecuteAsync(s, _insertSql, _keyOf(item), JsonSerializer.Serialize(item, _json), ct);

    public async Task<bool> UpdateAsync(SqliteSession s, T item, CancellationToken ct) =>
        await ExecuteAsync(s, _updateSql, _keyOf(item), JsonSerializer.Serialize(item, _json), ct);

    public async Task<bool> DeleteAsync(SqliteSession s, string key, CancellationToken ct) =>
        await ExecuteAsync(s, _deleteSql, key, null, ct);

    public async Task<T?> SelectAsync(SqliteSession s, string key, CancellationToken ct)
    {
        var command = s.Command(_selectSql);
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(ct) is string document ? Deserialize(document) : null;
    }

    public async Task<IReadOnlyList<T>> ListAsync(SqliteSession s, CancellationToken ct)
    {
        var items = new List<T>();
        await using var reader = await s.Command(_listSql).ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(Deserialize(reader.GetString(0)));
        }

        return items;
    }

    /// <summary>
    /// Whether the stored document under <paramref name="key"/> is <paramref name="expected"/> (null: absent), compared as this
    /// table writes documents, so that a document stored by an earlier version compares by its content.
    /// </summary>
    public async Task<bool> IsUnchangedAsync(SqliteSession s, string key, T? expected, CancellationToken ct)
    {
        var stored = await SelectAsync(s, key, ct);
        return stored is null || expected is null
            ? stored is null && expected is null
            : JsonSerializer.Serialize(stored, _json) == JsonSerializer.Serialize(expected, _json);
    }

    /// <summary>Stores <paramref name="item"/> under <paramref name="key"/> (inserting or replacing), or deletes the key when it is null.</summary>
    public async Task PutAsync(SqliteSession s, string key, T? item, CancellationToken ct)
    {
        if (item is null)
        {
            await DeleteAsync(s, key, ct);
        }
        else if (!await UpdateAsync(s, item, ct))
        {
            await InsertAsync(s, item, ct);
        }
    }

    private static async Task<bool> ExecuteAsync(SqliteSession s, string sql, string key, string? document, CancellationToken ct)
    {
        var command = s.Command(sql);
        command.Parameters.AddWithValue("$key", key);
        if (document is not null)
        {
            command.Parameters.AddWithValue("$document", document);
        }

        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private T Deserialize(string document) =>
        JsonSerializer.Deserialize(document, _json) ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is null.");
}
