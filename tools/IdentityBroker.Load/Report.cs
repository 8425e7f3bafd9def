using System.Globalization;
using System.Text;
using ScottPlot;

namespace IdentityBroker.Load;

/// <summary>The run's table, with each broker row set against its crypto bound, the HTTP floor and moto_server.</summary>
public sealed class Report(IReadOnlyList<Row> rows, CryptoRates crypto, CryptoRates cryptoPerCpu, string machine, LoadOptions options, string motoNote)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Write()
    {
        var floorRow = rows.FirstOrDefault(r => r.Target == "http-floor")?.Result;
        var floor = floorRow?.RequestsPerSecond ?? double.NaN;
        var floorPerCpu = floorRow is null ? double.NaN : floorRow.RequestsPerServerCpuSecond;
        var lines = rows.Select(r => Line(r, floor, floorPerCpu)).ToList();
        var csv = new StringBuilder();
        csv.AppendLine("target,sts_mode,operation,requests_per_s,p50_ms,p99_ms,errors,requests,seconds,server_peak_rss_mb,server_cpu_share,wrk_cpu_share,other_cpu_share,loadavg_before,signatures,crypto_bound_per_s,http_floor_per_s,fraction_of_min_bound_floor,moto_per_s,times_moto,requests_per_server_cpu_s,crypto_bound_per_cpu_s,http_floor_per_cpu_s,cpu_normalized_fraction,cache_hit_rate,open_loop_offered_per_s,open_loop_p50_ms,open_loop_p99_ms,open_loop_max_ms,open_loop_errors,open_loop_send_lag_p99_ms");
        foreach (var l in lines)
        {
            csv.AppendLine(string.Join(',', l.Select(Csv)));
        }

        File.WriteAllText(Path.Combine(options.OutputDirectory, "results.csv"), csv.ToString());
        var markdown = Markdown(lines);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "results.md"), markdown);
        Chart(Path.Combine(options.OutputDirectory, "results.png"));
        File.WriteAllText(Path.Combine(options.OutputDirectory, "readme-table.md"),
            ReadmeTable.Markdown(rows, crypto, machine, options, "dotnet tools/IdentityBroker.Load/bin/Release/net10.0/IdentityBroker.Load.dll " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))));
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Wrote {options.OutputDirectory}/results.csv, results.md, results.png, readme-table.md");
    }

    private string[] Line(Row r, double floor, double floorPerCpu)
    {
        var res = r.Result;
        var isBroker = r.Target == "broker";
        var bound = crypto.BoundFor(r.Operation.Cost);
        var limit = Math.Min(bound, floor);
        var moto = rows.FirstOrDefault(m => m.Target == "moto" && m.Operation.Target == r.Operation.Target && m.Operation.BodiesName == r.Operation.BodiesName)?.Result.RequestsPerSecond;
        return
        [
            r.Target, r.StsMode, r.Operation.Name,
            F(res.RequestsPerSecond, 0), F(res.P50Ms, 2), F(res.P99Ms, 2), res.Errors.ToString(Inv), res.Requests.ToString(Inv), F(res.Seconds, 1),
            F(res.ServerPeakRssBytes / 1048576.0, 0), F(res.ServerCpuShare, 2), F(res.WrkCpuShare, 2), F(res.OtherCpuShare, 2), res.LoadAverageBefore.Split(' ')[0],
            r.Operation.Cost.ToString(),
            double.IsInfinity(bound) ? "inf" : F(bound, 0),
            F(floor, 0),
            isBroker ? F(res.RequestsPerSecond / limit, 2) : string.Empty,
            isBroker && moto is { } m ? F(m, 0) : string.Empty,
            isBroker && moto is { } m2 ? F(res.RequestsPerSecond / m2, 1) : string.Empty,
            F(res.RequestsPerServerCpuSecond, 0),
            double.IsInfinity(cryptoPerCpu.BoundFor(r.Operation.Cost)) ? "inf" : F(cryptoPerCpu.BoundFor(r.Operation.Cost), 0),
            F(floorPerCpu, 0),
            isBroker ? F(res.RequestsPerServerCpuSecond / Math.Min(cryptoPerCpu.BoundFor(r.Operation.Cost), floorPerCpu), 2) : string.Empty,
            isBroker ? r.CacheHitRate : string.Empty,
            r.OpenLoop is { } ol ? F(ol.OfferedPerSecond, 0) : string.Empty,
            r.OpenLoop is { } ol2 ? F(ol2.P50Ms, 2) : string.Empty,
            r.OpenLoop is { } ol3 ? F(ol3.P99Ms, 2) : string.Empty,
            r.OpenLoop is { } ol4 ? F(ol4.MaxMs, 1) : string.Empty,
            r.OpenLoop is { } ol5 ? ol5.Errors.ToString(Inv) : string.Empty,
            r.OpenLoop is { } ol6 ? F(ol6.SendLagP99Ms, 2) : string.Empty,
        ];
    }

    private string Markdown(List<string[]> lines)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"Load: wrk -t{options.WrkThreads} -c{options.Connections} -d{options.DurationSeconds}s per row (after a {options.WarmupSeconds} s warm-up run), {options.Users} OIDC users, loopback.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Open loop: then {options.OpenLoopShare:P0} of the row's wrk rate offered for {options.DurationSeconds} s at fixed send times (after 2 s unmeasured), latency from each request's due time (OpenLoop/).");
        md.AppendLine(CultureInfo.InvariantCulture, $"Crypto bound ({Environment.ProcessorCount} threads, wall clock): RSA-2048 RS256 sign {crypto.Rs256Sign:F0}/s, verify {crypto.Rs256Verify:F0}/s; RS512 sign {crypto.Rs512Sign:F0}/s, verify {crypto.Rs512Verify:F0}/s; ES256 (P-256) sign {crypto.Es256Sign:F0}/s, verify {crypto.Es256Verify:F0}/s.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Per CPU-second of the measuring process: RS256 sign {cryptoPerCpu.Rs256Sign:F0}, verify {cryptoPerCpu.Rs256Verify:F0}; RS512 sign {cryptoPerCpu.Rs512Sign:F0}, verify {cryptoPerCpu.Rs512Verify:F0}; ES256 sign {cryptoPerCpu.Es256Sign:F0}, verify {cryptoPerCpu.Es256Verify:F0}.");
        md.AppendLine(motoNote);
        md.AppendLine();
        md.AppendLine("| target | STS | operation | req/s | p50 ms | p99 ms | errors | peak RSS MB | CPU server / wrk / others | signatures | crypto bound/s | floor/s | ÷ min(bound, floor) | moto/s | × moto | req per server CPU-s | ÷ min(bound, floor) per CPU-s | token cache hits | open loop req/s | open p50 ms | open p99 ms | open errors |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var l in lines)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {l[0]} | {l[1]} | {l[2]} | {l[3]} | {l[4]} | {l[5]} | {l[6]} | {l[9]} | {l[10]} / {l[11]} / {l[12]} | {l[14]} | {l[15]} | {l[16]} | {l[17]} | {l[18]} | {l[19]} | {l[20]} | {l[23]} | {l[24]} | {l[25]} | {l[26]} | {l[27]} | {l[29]} |");
        }

        foreach (var r in rows.Where(r => r.Note.Length > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"{r.Operation.Name} [{r.StsMode}]: {r.Note}.");
        }

        md.AppendLine();
        md.AppendLine("Performance targets, checked on this run:");
        md.AppendLine();
        md.Append(new TargetCheck(rows, crypto, cryptoPerCpu, options.OpenLoopShare).Markdown());
        return md.ToString();
    }

    private void Chart(string path)
    {
        var throughput = new Plot();
        var latency = new Plot();
        var ticks = new List<Tick>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var color = r.Target switch { "broker" => Colors.SteelBlue, "moto" => Colors.IndianRed, _ => Colors.Gray };
            throughput.Add.Bar(new Bar { Position = i, Value = r.Result.RequestsPerSecond, FillColor = color });
            latency.Add.Bar(new Bar { Position = i - 0.2, Value = r.Result.P50Ms, Size = 0.4, FillColor = color.Lighten(0.4) });
            latency.Add.Bar(new Bar { Position = i + 0.2, Value = r.Result.P99Ms, Size = 0.4, FillColor = color });
            ticks.Add(new Tick(i, $"{r.Target} {(r.StsMode == "-" ? string.Empty : r.StsMode)}\n{r.Operation.Name.Replace(" (", "\n(", StringComparison.Ordinal)}"));
        }

        foreach (var plot in new[] { throughput, latency })
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.Axes.Margins(bottom: 0);
        }

        throughput.Title($"Requests/s, wrk -c{options.Connections}, {Environment.ProcessorCount} cores shared with the generator");
        throughput.YLabel("requests/s");
        latency.Title("Latency p50 (light) and p99 (dark)");
        latency.YLabel("ms");
        var multiplot = new Multiplot();
        multiplot.RemovePlot(multiplot.GetPlot(0)); // a new Multiplot starts with one empty plot
        multiplot.AddPlot(throughput);
        multiplot.AddPlot(latency);
        multiplot.SavePng(path, 1600, 1100);
    }

    private static string F(double value, int decimals) => double.IsNaN(value) ? string.Empty : value.ToString("F" + decimals.ToString(Inv), Inv);

    private static string Csv(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
