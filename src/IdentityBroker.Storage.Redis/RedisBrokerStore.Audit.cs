using System.Globalization;
using System.Text.Json;
using IdentityBroker.Audit;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The audit trail in one capped Redis Stream. An entry's id is its event time in milliseconds (<c>ms-*</c>), never below the
/// newest entry's (XADD ids only grow), so XREVRANGE by id is a time window; the exact event time is in the entry and filters
/// too. One batch is one script run (atomic). Attribute filters are applied while scanning the window, newest first.
/// </summary>
public sealed partial class RedisBrokerStore : IAuditStore
{
    private const int ScanChunk = 256;

    // ARGV[1] = the cap; then pairs of (ms, entry). An id below the newest entry's is raised to it (same ms, next sequence).
    private const string AppendScript = """
        local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
        local lastms = '0'
        if #last > 0 then lastms = string.match(last[1][1], '^(%d+)-') end
        for i = 2, #ARGV, 2 do
          local ms = ARGV[i]
          if tonumber(ms) < tonumber(lastms) then ms = lastms end
          redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ms .. '-*', 'e', ARGV[i + 1])
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

        var args = new RedisValue[1 + (2 * records.Count)];
        args[0] = AuditMaxLength;
        for (var i = 0; i < records.Count; i++)
        {
            args[1 + (2 * i)] = records[i].EventTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            args[2 + (2 * i)] = Entry(records[i]);
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
                    var record = ReadEntry((string)((RedisResult[])parts[1]!)[1]!);
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

    private static string Entry(AuditRecord r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("id", r.EventId);
            w.WriteNumber("t", r.EventTime.UtcTicks);
            w.WriteString("n", r.EventName);
            w.WriteString("s", r.EventSource);
            w.WriteBoolean("ro", r.ReadOnly);
            w.WriteString("k", r.AccessKeyId);
            w.WriteString("u", r.Username);
            w.WriteString("res", AuditResourcesJson.Write(r.Resources));
            w.WriteString("doc", r.CloudTrailEvent);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static AuditRecord ReadEntry(string json)
    {
        using var document = JsonDocument.Parse(json);
        var e = document.RootElement;
        return new AuditRecord(
            e.GetProperty("id").GetString()!,
            new DateTimeOffset(e.GetProperty("t").GetInt64(), TimeSpan.Zero),
            e.GetProperty("n").GetString()!,
            e.GetProperty("s").GetString()!,
            e.GetProperty("ro").GetBoolean(),
            e.GetProperty("k").GetString(),
            e.GetProperty("u").GetString(),
            AuditResourcesJson.Read(e.GetProperty("res").GetString()!),
            e.GetProperty("doc").GetString()!);
    }
}
