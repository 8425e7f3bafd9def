using System.Globalization;
using System.Text;

namespace IdentityBroker.Load;

/// <summary>
/// The targets of issue 19 (docs/performance.md, "Targets") checked against the rows of one run: every ratio is between
/// rows of the same run on the same machine (× moto_server, share of the HTTP floor, share of the crypto bound, per
/// replica CPU-second against the SQLite broker's), and every broker row's latency is the open loop's at a fixed share
/// of its own peak. The 1M-identity targets are --scale's (ScaleRun.cs).
/// </summary>
public sealed class TargetCheck(IReadOnlyList<Row> rows, CryptoRates crypto, CryptoRates cryptoPerCpu, double openLoopShare)
{
    private const double P99LimitMs = 10;
    private const double CredentialsTimesMoto = 20;
    private const double CredentialsShareOfFloor = 0.30;
    private const double GuestShareOfFloor = 0.30;
    private const double OidcShareOfFloor = 0.45;
    private const double OpenIdTokenShareOfBound = 0.70;
    private const double RedisShareOfSqlitePerCpu = 0.8;

    /// <summary>The SQLite broker modes with the defaults that the login targets apply to, the cache on and off.</summary>
    private static readonly string[] LoginModes = ["inprocess", "inprocess-nocache"];

    public string Markdown()
    {
        var floor = rows.FirstOrDefault(r => r.Target == "http-floor")?.Result;
        var md = new StringBuilder();
        md.AppendLine("| target | row | measured | verdict | what decides it |");
        md.AppendLine("|---|---|---:|---|---|");
        foreach (var row in rows.Where(r => r.Target == "broker"))
        {
            foreach (var line in Checks(row, floor))
            {
                md.AppendLine(line);
            }
        }

        return md.ToString();
    }

    private IEnumerable<string> Checks(Row row, RunResult? floor)
    {
        var r = row.Result;
        var name = $"{row.Operation.Name} [{row.StsMode}]";
        var login = LoginModes.Contains(row.StsMode);
        var target = row.Operation.Target;
        if (floor is not null && login)
        {
            var share = r.RequestsPerSecond / floor.RequestsPerSecond;
            if (target == "GetCredentialsForIdentity")
            {
                yield return Line($"≥ {CredentialsShareOfFloor:0.00} of the HTTP floor", name, share, CredentialsShareOfFloor, $"token cache hits {row.CacheHitRate}");
            }
            else if (row.Operation == Operation.GetIdOidc)
            {
                yield return Line($"≥ {OidcShareOfFloor:0.00} of the HTTP floor (distinct tokens)", name, share, OidcShareOfFloor, $"token cache hits {row.CacheHitRate}; {CpuSplit(row, floor)}");
            }
            else if (row.Operation == Operation.GetIdGuest)
            {
                yield return Line($"≥ {GuestShareOfFloor:0.00} of the HTTP floor", name, share, GuestShareOfFloor, "one durable SQLite write per call");
            }
        }

        if (login && target == "GetCredentialsForIdentity")
        {
            yield return Moto(row) is { } moto
                ? Line($"≥ {CredentialsTimesMoto:0}× moto_server", name, r.RequestsPerSecond / moto, CredentialsTimesMoto, Invariant($"moto {moto:F0}/s"))
                : $"| ≥ {CredentialsTimesMoto:0}× moto_server | {name} | | not checked: no moto row | |";
        }

        if (target == "GetOpenIdToken")
        {
            var bound = crypto.BoundFor(row.Operation.Cost);
            yield return Line($"≥ {OpenIdTokenShareOfBound:0.00} of its crypto bound", name, r.RequestsPerSecond / bound, OpenIdTokenShareOfBound, Invariant($"{row.Operation.Cost}: {bound:F0}/s on this machine"));
        }

        if (RedisRun.Is(row.StsMode) && target == "GetCredentialsForIdentity")
        {
            // redis-noaudit is compared with inprocess-noaudit: the store's part without the audit trail's.
            var sqliteMode = row.StsMode == RedisRun.Mode ? "inprocess" : "inprocess-noaudit";
            var sqlite = rows.FirstOrDefault(s => s.Target == "broker" && s.StsMode == sqliteMode && s.Operation == Operation.CredentialsOidc)?.Result;
            yield return sqlite is null
                ? $"| per replica CPU-second ≥ {RedisShareOfSqlitePerCpu:0.0} of SQLite's | {name} | | not checked: no {sqliteMode} GetCredentialsForIdentity row | |"
                : Line($"per replica CPU-second ≥ {RedisShareOfSqlitePerCpu:0.0} of SQLite's", name, r.RequestsPerServerCpuSecond / sqlite.RequestsPerServerCpuSecond, RedisShareOfSqlitePerCpu,
                    Invariant($"{r.RequestsPerServerCpuSecond:F0} against {sqlite.RequestsPerServerCpuSecond:F0} requests per server CPU-second; {row.Note}"));
        }

        var percent = Invariant($"{openLoopShare * 100:F0} %");
        yield return row.OpenLoop is { } open
            ? Line($"p99 ≤ {P99LimitMs:0} ms at {percent} of its peak, open loop", name, open.P99Ms, P99LimitMs,
                Invariant($"{open.OfferedPerSecond:F0}/s offered; p50 {open.P50Ms:F2} ms, max {open.MaxMs:F1} ms; generator's send lag p99 {open.SendLagP99Ms:F2} ms"), lowerIsBetter: true)
            : $"| p99 ≤ {P99LimitMs:0} ms at 70 % of its peak, open loop | {name} | | not checked: --open-loop 0 | |";
        var errors = r.Errors + (row.OpenLoop?.Errors ?? 0);
        yield return Line("0 errors (wrk and open loop)", name, errors, 0, Invariant($"wrk {r.Errors}, open loop {row.OpenLoop?.Errors.ToString(CultureInfo.InvariantCulture) ?? "-"}"), lowerIsBetter: true);
    }

    /// <summary>Broker CPU per request against the floor's and the signatures' (per CPU-second of each process).</summary>
    private string CpuSplit(Row row, RunResult floor)
    {
        var brokerUs = 1e6 / row.Result.RequestsPerServerCpuSecond;
        var floorUs = 1e6 / floor.RequestsPerServerCpuSecond;
        var signaturesUs = 1e6 / cryptoPerCpu.BoundFor(row.Operation.Cost);
        return Invariant($"broker CPU per request {brokerUs:F0} µs = the floor's {floorUs:F0} µs + {row.Operation.Cost} {signaturesUs:F0} µs + the rest {brokerUs - floorUs - signaturesUs:F0} µs");
    }

    private double? Moto(Row row) => rows.FirstOrDefault(m => m.Target == "moto" && m.Operation.Target == row.Operation.Target
        && m.Operation.BodiesName == row.Operation.BodiesName)?.Result.RequestsPerSecond;

    /// <summary>One verdict: "met" when the measured value is on the right side of the limit (the limit itself counts as met).</summary>
    private static string Line(string target, string row, double measured, double limit, string why, bool lowerIsBetter = false)
    {
        var met = lowerIsBetter ? measured <= limit : measured >= limit;
        return Invariant($"| {target} | {row} | {measured:0.###} | {(met ? "met" : "**not met**")} | {why} |");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
