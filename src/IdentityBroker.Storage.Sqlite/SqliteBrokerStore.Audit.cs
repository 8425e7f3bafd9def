using IdentityBroker.Audit;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// The audit trail in the <c>audit_log</c> table: one batch is one write transaction (durable at COMMIT), written by
/// multi-row INSERTs of one cached statement. An EventId lookup names its millisecond (<see cref="AuditEventId"/>), so the
/// time index finds it; there is no index of ids. A call's record is stored as its compact facts (<c>facts</c>, with an
/// empty <c>document</c>) and its JSON written when read; other records and those stored before keep their JSON in <c>document</c>.
/// </summary>
public sealed partial class SqliteBrokerStore : IAuditStore
{
    private const string SelectAudit = """
        SELECT seq, event_id, event_time, event_name, event_source, read_only, access_key_id, username, resources, document, facts
        FROM audit_log
        WHERE event_time >= $start AND event_time <= $end
          AND (event_time < $at OR (event_time = $at AND seq < $seq))
        """;

    private const string OrderAudit = " ORDER BY event_time DESC, seq DESC LIMIT $limit;";

    /// <summary>Rows per INSERT statement: one prepared statement writes this many records, so a batch of 256 is 16 statements.</summary>
    private const int RowsPerInsert = 16;

    private const string AuditColumns = "event_time, event_id, event_name, event_source, read_only, access_key_id, username, resources, document, facts";

    private const int AuditColumnCount = 10;

    private static readonly string InsertMany = InsertAudit(RowsPerInsert);

    private static readonly string InsertOne = InsertAudit(1);

    public Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        return WriteUncachedAsync(records, static async (s, batch, ct) =>
        {
            var next = 0;
            if (batch.Count >= RowsPerInsert)
            {
                var many = Prepared(s, InsertMany, RowsPerInsert);
                for (; next + RowsPerInsert <= batch.Count; next += RowsPerInsert)
                {
                    for (var row = 0; row < RowsPerInsert; row++)
                    {
                        Bind(many, row, batch[next + row]);
                    }

                    await many.ExecuteNonQueryAsync(ct);
                }
            }

            if (next < batch.Count)
            {
                var one = Prepared(s, InsertOne, 1);
                for (; next < batch.Count; next++)
                {
                    Bind(one, 0, batch[next]);
                    await one.ExecuteNonQueryAsync(ct);
                }
            }

            return 0;
        }, cancellationToken);
    }

    private static string InsertAudit(int rows) =>
        $"INSERT INTO audit_log ({AuditColumns}) VALUES "
        + string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(0, AuditColumnCount).Select(c => $"$p{(r * AuditColumnCount) + c}")) + ")"))
        + ";";

    /// <summary>The cached statement with its parameters made once per batch; rows only set their values.</summary>
    private static SqliteCommand Prepared(SqliteSession session, string sql, int rows)
    {
        var command = session.Command(sql);
        for (var i = 0; i < rows * AuditColumnCount; i++)
        {
            command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        }

        return command;
    }

    private static void Bind(SqliteCommand command, int row, AuditRecord r)
    {
        var p = command.Parameters;
        var at = row * AuditColumnCount;
        p[at].Value = r.EventTime.UtcTicks;
        p[at + 1].Value = r.EventId;
        p[at + 2].Value = r.EventName;
        p[at + 3].Value = r.EventSource;
        p[at + 4].Value = r.ReadOnly ? 1 : 0;
        p[at + 5].Value = (object?)r.AccessKeyId ?? DBNull.Value;
        p[at + 6].Value = (object?)r.Username ?? DBNull.Value;
        p[at + 7].Value = AuditResourcesJson.Write(r.Resources);
        if (r.Facts is { } facts)
        {
            p[at + 8].Value = string.Empty;
            p[at + 9].Value = AuditFactsCodec.Encode(facts);
        }
        else
        {
            p[at + 8].Value = r.CloudTrailEvent;
            p[at + 9].Value = DBNull.Value;
        }
    }

    public Task<AuditPage> LookupAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(query, static async (s, q, ct) =>
        {
            var command = s.Command(SelectAudit + Filter(q.Attribute) + OrderAudit);
            command.Parameters.AddWithValue("$start", q.Start.UtcTicks);
            command.Parameters.AddWithValue("$end", q.End.UtcTicks);
            command.Parameters.AddWithValue("$at", q.After?.TimeTicks ?? long.MaxValue);
            command.Parameters.AddWithValue("$seq", q.After?.Sequence ?? long.MaxValue);
            command.Parameters.AddWithValue("$limit", q.MaxResults + 1);
            if (q.Attribute is { } attribute)
            {
                command.Parameters.AddWithValue("$v", FilterValue(attribute, q.Value));
            }

            var events = new List<AuditRecord>();
            AuditCursor? last = null;
            AuditCursor? next = null;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (events.Count == q.MaxResults)
                {
                    next = last;
                    break;
                }

                events.Add(ReadAudit(reader));
                last = new AuditCursor(reader.GetInt64(2), reader.GetInt64(0));
            }

            return new AuditPage(events, next);
        }, cancellationToken);
    }

    public Task<long> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteUncachedAsync(before.UtcTicks, static async (s, ticks, ct) =>
        {
            var delete = s.Command("DELETE FROM audit_log WHERE event_time < $before;");
            delete.Parameters.AddWithValue("$before", ticks);
            return (long)await delete.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <summary>One fixed SQL text per attribute, so the session's command cache stays bounded.</summary>
    private static string Filter(AuditAttribute? attribute) => attribute switch
    {
        null => string.Empty,
        AuditAttribute.EventName => " AND event_name = $v",
        AuditAttribute.EventId => " AND event_id = $v",
        AuditAttribute.AccessKeyId => " AND access_key_id = $v",
        AuditAttribute.Username => " AND username = $v",
        AuditAttribute.ReadOnly => " AND read_only = $v",
        AuditAttribute.EventSource => " AND event_source = $v",
        AuditAttribute.ResourceName => " AND EXISTS (SELECT 1 FROM json_each(resources) WHERE json_extract(value, '$.n') = $v)",
        AuditAttribute.ResourceType => " AND EXISTS (SELECT 1 FROM json_each(resources) WHERE json_extract(value, '$.t') = $v)",
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };

    /// <summary>ReadOnly compares as 1/0 ("true"/"false", any case, as AuditMatch); any other value matches nothing.</summary>
    private static object FilterValue(AuditAttribute attribute, string? value) => attribute == AuditAttribute.ReadOnly
        ? (bool.TryParse(value, out var b) ? (b ? 1 : 0) : -1)
        : value ?? string.Empty;

    private static AuditRecord ReadAudit(SqliteDataReader reader)
    {
        var eventId = reader.GetString(1);
        var time = new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero);
        var name = reader.GetString(3);
        var source = reader.GetString(4);
        var readOnly = reader.GetInt64(5) == 1;
        var key = reader.IsDBNull(6) ? null : reader.GetString(6);
        var username = reader.IsDBNull(7) ? null : reader.GetString(7);
        var resources = AuditResourcesJson.Read(reader.GetString(8));
        return reader.IsDBNull(10)
            ? new AuditRecord(eventId, time, name, source, readOnly, key, username, resources, reader.GetString(9))
            : new AuditRecord(eventId, time, name, source, readOnly, key, username, resources, AuditFactsCodec.Decode((byte[])reader.GetValue(10)));
    }
}
