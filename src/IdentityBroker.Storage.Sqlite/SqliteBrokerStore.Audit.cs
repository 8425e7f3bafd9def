using IdentityBroker.Audit;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>The audit trail in the <c>audit_events</c> table: one batch is one write transaction (durable at COMMIT).</summary>
public sealed partial class SqliteBrokerStore : IAuditStore
{
    private const string SelectAudit = """
        SELECT seq, event_id, event_time, event_name, event_source, read_only, access_key_id, username, resources, document
        FROM audit_events
        WHERE event_time >= $start AND event_time <= $end
          AND (event_time < $at OR (event_time = $at AND seq < $seq))
        """;

    private const string OrderAudit = " ORDER BY event_time DESC, seq DESC LIMIT $limit;";

    public Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        return WriteUncachedAsync(records, static async (s, batch, ct) =>
        {
            foreach (var r in batch)
            {
                var insert = s.Command("""
                    INSERT OR IGNORE INTO audit_events
                        (event_id, event_time, event_name, event_source, read_only, access_key_id, username, resources, document)
                    VALUES ($id, $time, $name, $source, $ro, $key, $user, $resources, $document);
                    """);
                insert.Parameters.AddWithValue("$id", r.EventId);
                insert.Parameters.AddWithValue("$time", r.EventTime.UtcTicks);
                insert.Parameters.AddWithValue("$name", r.EventName);
                insert.Parameters.AddWithValue("$source", r.EventSource);
                insert.Parameters.AddWithValue("$ro", r.ReadOnly ? 1 : 0);
                insert.Parameters.AddWithValue("$key", (object?)r.AccessKeyId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$user", (object?)r.Username ?? DBNull.Value);
                insert.Parameters.AddWithValue("$resources", AuditResourcesJson.Write(r.Resources));
                insert.Parameters.AddWithValue("$document", r.CloudTrailEvent);
                await insert.ExecuteNonQueryAsync(ct);
            }

            return 0;
        }, cancellationToken);
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
            var delete = s.Command("DELETE FROM audit_events WHERE event_time < $before;");
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

    private static AuditRecord ReadAudit(SqliteDataReader reader) => new(
        reader.GetString(1),
        new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt64(5) == 1,
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        AuditResourcesJson.Read(reader.GetString(8)),
        reader.GetString(9));
}
