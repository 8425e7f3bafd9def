using System.Globalization;
using System.Text;

namespace IdentityBroker.Load;

/// <summary>
/// The performance targets (docs/performance.md) checked against the rows of one run, each with what decides it: for a signing row, how much of
/// its crypto bound ×10 moto_server would take and the mean latency Little's law gives at that bound; for GetId (OIDC),
/// where the broker's CPU per request goes (the floor's share, the signatures', the rest).
/// </summary>
public sealed class TargetCheck(IReadOnlyList<Row> rows, CryptoRates crypto, CryptoRates cryptoPerCpu, int connections)
{
    private const double P99LimitMs = 50;
    private const double TimesMoto = 10;

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
        var bound = crypto.BoundFor(row.Operation.Cost);
        if (floor is not null)
        {
            if (row.Operation == Operation.CredentialsOidc && row.StsMode == "inprocess")
            {
                yield return Line("≥ 0.70 of min(crypto bound, floor)", name, r.RequestsPerSecond / Math.Min(bound, floor.RequestsPerSecond), 0.70, string.Empty);
            }
            else if (row.Operation == Operation.GetIdOidc)
            {
                yield return Line("≥ 0.50 of the HTTP floor", name, r.RequestsPerSecond / floor.RequestsPerSecond, 0.50, CpuSplit(row, floor));
            }
            else if (row.Operation == Operation.GetIdGuest)
            {
                yield return Line("≥ 0.25 of the HTTP floor", name, r.RequestsPerSecond / floor.RequestsPerSecond, 0.25, "one durable SQLite write per call");
            }
        }

        if (Moto(row) is { } moto)
        {
            var needed = TimesMoto * moto;
            var why = double.IsInfinity(bound)
                ? string.Empty
                : Invariant($"×10 moto = {needed:F0}/s = {needed / bound:P0} of this row's crypto bound ({bound:F0}/s){(needed > bound ? ": beyond what the cores sign and verify" : string.Empty)}");
            yield return Line("≥ ×10 moto_server", name, r.RequestsPerSecond / moto, TimesMoto, why);
        }

        var littleMs = connections / bound * 1000;
        var signs = row.Operation.Cost.Rs512Signs + row.Operation.Cost.Es256Signs > 0;
        var p99Why = !signs
            ? string.Empty
            : Invariant($"even at the crypto bound, {connections} requests in flight wait {littleMs:F0} ms on average (Little's law), so p99 < 50 ms leaves {P99LimitMs / littleMs:F2}× the mean for the tail");
        yield return connections == 64
            ? Line("p99 < 50 ms at 64 connections", name, r.P99Ms, P99LimitMs, p99Why, lowerIsBetter: true)
            : Invariant($"| p99 < 50 ms at 64 connections | {name} | {r.P99Ms:F1} ms | not checked: this run used {connections} connections | |");
        yield return Line("no errors", name, r.Errors, 0, string.Empty, lowerIsBetter: true, inclusive: true);
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

    private static string Line(string target, string row, double measured, double limit, string why, bool lowerIsBetter = false, bool inclusive = false)
    {
        var met = lowerIsBetter ? (inclusive ? measured <= limit : measured < limit) : measured >= limit;
        return Invariant($"| {target} | {row} | {measured:0.##} | {(met ? "met" : "**missed**")} | {why} |");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
