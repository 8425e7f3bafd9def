using System.Globalization;
using System.Text.Json;
using IdentityBroker.Audit;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The audit trail in one capped Redis Stream. An entry's id is its event time in milliseconds (<c>ms-*</c>), never below the
/// newest entry's (XADD ids only grow), so XREVRANGE by id is a time window; the exact event time is in the entry and filters
/// too. One batch is one script run (atomic). Attribute filters are applied while scanning the window, newest first. A
/// call's record is stored as its compact facts (field <c>f</c>) beside the filtered columns (field <c>e</c>, without the
/// JSON), and its JSON is written when read; other records and those stored before carry their JSON in <c>e</c>.
/// </summary>
public sealed partial class RedisBrokerStore : IAuditStore
{
    private const int ScanChunk = 256;

    // ARGV[1] = the cap; then triples of (ms, entry, facts; facts empty for a record stored as its JSON). An id below the
    // newest entry's is raised to it (same ms, next sequence).
    private const string AppendScript = """
        local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
        local lastms = '0'
        if #last > 0 then lastms = string.match(last[1][1], '^(%d+)-') end
        for i = 2, #ARGV, 3 do
          local ms = ARGV[i]
          if tonumber(ms) < tonumber(lastms) then ms = lastms end
          if ARGV[i + 2] == '' then
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ms .. '-*', 'e', ARGV[i + 1])
          else
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ms .. '-*', 'e', ARGV[i + 1], 'f', ARGV[i + 2])
          end
          lastms = ms
        end
        return #ARGV
        """;

    /// <summary>The stream's cap (Broker:Audit:RedisMaxLength).</summary>
    public int AuditMaxLength { get; set; } = 1_000_000;

    public Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        var args = new RedisValue[1 + (3 * records.Count)];
        args[0] = AuditMaxLength;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            args[1 + (3 * i)] = record.EventTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            args[2 + (3 * i)] = Entry(record);
            args[3 + (3 * i)] = record.Facts is { } facts ? AuditFactsCodec.Encode(facts) : RedisValue.EmptyString;
        }

        return GuardAsync(() => Db.ScriptEvaluateAsync(AppendScript, [_keys.AuditEvents], args));
    }

    public Task<AuditPage> LookupAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return GuardAsync(async () =>
        {
            var events = new List<AuditRecord>();
            AuditCursor? last = null;
            var upper = query.After is { } after
                ? $"({after.TimeTicks.ToString(CultureInfo.InvariantCulture)}-{after.Sequence.ToString(CultureInfo.InvariantCulture)}"
                : Millis(query.End.AddMilliseconds(1)) + "-0";
            var lower = Millis(query.Start) + "-0";
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = (RedisResult[])(await Db.ExecuteAsync("XREVRANGE", _keys.AuditEvents, upper, lower, "COUNT", ScanChunk).ConfigureAwait(false))!;
                foreach (var entry in chunk)
                {
                    var parts = (RedisResult[])entry!;
                    var id = (string)parts[0]!;
                    var record = ReadEntry((RedisResult[])parts[1]!);
                    if (record.EventTime < query.Start || record.EventTime > query.End || !AuditMatch.Matches(record, query.Attribute, query.Value))
                    {
                        upper = "(" + id;
                        continue;
                    }

                    if (events.Count == query.MaxResults)
                    {
                        return new AuditPage(events, last);
                    }

                    events.Add(record);
                    last = Cursor(id);
                    upper = "(" + id;
                }

                if (chunk.Length < ScanChunk)
                {
                    return new AuditPage(events, null);
                }
            }
        });
    }

    public Task<long> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        GuardAsync(async () => (long)await Db.ExecuteAsync("XTRIM", _keys.AuditEvents, "MINID", Millis(before)).ConfigureAwait(false));

    private static string Millis(DateTimeOffset instant) => Math.Max(0, instant.ToUnixTimeMilliseconds()).ToString(CultureInfo.InvariantCulture);

    private static AuditCursor Cursor(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return new AuditCursor(long.Parse(id[..dash], CultureInfo.InvariantCulture), long.Parse(id[(dash + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>The filtered columns as JSON, with the record's JSON only when it is not kept as facts.</summary>
    private static string Entry(AuditRecord record) =>
        AuditJsonText.Write((Record: record, Resources: AuditResourcesJson.Write(record.Resources)), static (w, s) =>
        {
            var r = s.Record;
            w.WriteStartObject();
            w.WriteString("id", r.EventId);
            w.WriteNumber("t", r.EventTime.UtcTicks);
            w.WriteString("n", r.EventName);
            w.WriteString("s", r.EventSource);
            w.WriteBoolean("ro", r.ReadOnly);
            w.WriteString("k", r.AccessKeyId);
            w.WriteString("u", r.Username);
            w.WriteString("res", s.Resources);
            if (r.Facts is null)
            {
                w.WriteString("doc", r.CloudTrailEvent);
            }

            w.WriteEndObject();
        });

    /// <summary>An entry's fields: <c>e</c> (the columns, and the JSON of a record not kept as facts), then <c>f</c> (the facts) when present.</summary>
    private static AuditRecord ReadEntry(RedisResult[] fields)
    {
        using var document = JsonDocument.Parse((string)fields[1]!);
        var e = document.RootElement;
        var eventId = e.GetProperty("id").GetString()!;
        var time = new DateTimeOffset(e.GetProperty("t").GetInt64(), TimeSpan.Zero);
        var name = e.GetProperty("n").GetString()!;
        var source = e.GetProperty("s").GetString()!;
        var readOnly = e.GetProperty("ro").GetBoolean();
        var key = e.GetProperty("k").GetString();
        var username = e.GetProperty("u").GetString();
        var resources = AuditResourcesJson.Read(e.GetProperty("res").GetString()!);
        return fields.Length >= 4 && (string?)fields[2] == "f"
            ? new AuditRecord(eventId, time, name, source, readOnly, key, username, resources, AuditFactsCodec.Decode((byte[])fields[3]!))
            : new AuditRecord(eventId, time, name, source, readOnly, key, username, resources, e.GetProperty("doc").GetString()!);
    }
}
