using System.Globalization;
using System.Text;

namespace IdentityBroker.Load;

/// <summary>
/// The README's performance table from one run (--readme): every row with its wrk peak, its open-loop latency at the
/// fixed share of that peak, the cache hit rate, the ratio its target is stated in, and the machine, time and command.
/// </summary>
public static class ReadmeTable
{
    public static string Markdown(IReadOnlyList<Row> rows, CryptoRates crypto, string machine, LoadOptions options, string command)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(crypto);
        ArgumentNullException.ThrowIfNull(options);
        var floor = rows.FirstOrDefault(r => r.Target == "http-floor")?.Result;
        var md = new StringBuilder();
        md.AppendLine(Inv($"`{command}` — {machine}; wrk -t{options.WrkThreads} -c{options.Connections} -d{options.DurationSeconds}s per row after a {options.WarmupSeconds} s warm-up for the peak, then the open loop at {options.OpenLoopShare * 100:F0} % of it; {options.Users:N0} distinct OIDC users."));
        md.AppendLine();
        md.AppendLine(Inv($"| operation | store, STS | req/s (peak) | p50 / p99 ms at {options.OpenLoopShare * 100:F0} % (open loop) | errors | token cache hits | ÷ HTTP floor | ÷ crypto bound | × moto_server |"));
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows.Where(r => r.Target is "broker" or "http-floor"))
        {
            var r = row.Result;
            var bound = crypto.BoundFor(row.Operation.Cost);
            var moto = rows.FirstOrDefault(m => m.Target == "moto" && m.Operation.Target == row.Operation.Target && m.Operation.BodiesName == row.Operation.BodiesName)?.Result.RequestsPerSecond;
            var open = row.OpenLoop is { } o ? Inv($"{o.P50Ms:F1} / {o.P99Ms:F1}") : "-";
            var errors = r.Errors + (row.OpenLoop?.Errors ?? 0);
            md.AppendLine(Inv($"| {row.Operation.Name} | {Where(row)} | {r.RequestsPerSecond:N0} | {open} | {errors} | {(row.Target == "broker" ? row.CacheHitRate : "-")} | {(floor is null || row.Target != "broker" ? "-" : Inv($"{r.RequestsPerSecond / floor.RequestsPerSecond:F2}"))} | {(double.IsInfinity(bound) ? "-" : Inv($"{r.RequestsPerSecond / bound:F2}"))} | {(moto is { } m ? Inv($"{r.RequestsPerSecond / m:F1}") : "-")} |"));
        }

        return md.ToString();
    }

    private static string Where(Row row) => row.Target != "broker" ? "-"
        : row.StsMode == RedisRun.Mode ? "Redis, 2 replicas, in process"
        : row.StsMode == RedisRun.NoAuditMode ? "Redis, 2 replicas, in process, audit off"
        : "SQLite, " + row.StsMode;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
