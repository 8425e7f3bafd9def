using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// One page of a document listing keyed by sequence number: the command selects <c>(seq, document)</c> rows after
/// <c>$after</c>, ordered by seq, with <c>$limit</c> set here to one more than the page so that a next page is known
/// without a count.
/// </summary>
internal static class SqlitePages
{
    public static async Task<Page<T>> ReadAsync<T>(
        SqliteCommand command, long after, int maxResults, PageCursorKind kind, Func<string, T> deserialize, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", maxResults + 1);
        var items = new List<T>(Math.Min(maxResults, 64));
        long last = 0;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == maxResults)
            {
                more = true;
                break;
            }

            last = reader.GetInt64(0);
            items.Add(deserialize(reader.GetString(1)));
        }

        return new Page<T>(items, more ? PageCursor.Encode(kind, last) : null);
    }
}
