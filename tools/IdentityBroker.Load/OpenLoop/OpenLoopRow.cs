using System.Globalization;
using System.Text;

namespace IdentityBroker.Load.OpenLoop;

/// <summary>A server the open loop drives: its URL and the process whose CPU it samples.</summary>
public sealed record LoadedServer(Uri Url, int Pid);

/// <summary>A row's latency at a fixed share of its measured peak: an unmeasured open-loop run, then the measured one.</summary>
public static class OpenLoopRow
{
    private const int MaxConnections = 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Offers <see cref="LoadOptions.OpenLoopShare"/> × <paramref name="peakPerSecond"/> split evenly over
    /// <paramref name="servers"/> (one generator each, all at once) for --duration seconds; null when --open-loop is 0.
    /// </summary>
    public static async Task<OpenLoopResult?> MeasureAsync(LoadOptions o, IReadOnlyList<LoadedServer> servers, string target, string bodiesFile, double peakPerSecond)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(servers);
        if (o.OpenLoopShare <= 0 || peakPerSecond <= 0)
        {
            return null;
        }

        var bodies = File.ReadLines(bodiesFile).Select(Encoding.UTF8.GetBytes).ToArray();
        var perServer = o.OpenLoopShare * peakPerSecond / servers.Count;
        var generators = servers.Select(_ => new OpenLoopGenerator(MaxConnections, Timeout, TimeProvider.System)).ToList();
        try
        {
            // Opens the connections a run at this rate needs and compiles the generator's code; not measured.
            await Task.WhenAll(servers.Select((s, i) => generators[i].RunAsync(s.Url, target, bodies, new OpenLoopSchedule(perServer, Warmup))));

            var cpuBefore = servers.Sum(s => ProcStats.CpuSeconds(s.Pid));
            var ownBefore = ProcStats.CpuSeconds(Environment.ProcessId);
            var machineBefore = ProcStats.MachineCpu();
            var results = await Task.WhenAll(servers.Select((s, i) =>
                generators[i].RunAsync(s.Url, target, bodies, new OpenLoopSchedule(perServer, TimeSpan.FromSeconds(o.DurationSeconds)))));
            var serverCpu = servers.Sum(s => ProcStats.CpuSeconds(s.Pid)) - cpuBefore;
            var ownCpu = ProcStats.CpuSeconds(Environment.ProcessId) - ownBefore;
            var wall = ProcStats.MachineCpu().Total - machineBefore.Total;
            var result = new OpenLoopResult(perServer * servers.Count, [.. results.SelectMany(r => r.Samples)], results.Max(r => r.Elapsed))
            {
                ServerCpuShare = serverCpu / wall,
                GeneratorCpuPerRequestUs = ownCpu / results.Sum(r => r.Samples.Count) * 1e6,
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    open loop {result.OfferedPerSecond,8:F0} req/s offered ({o.OpenLoopShare:P0} of peak)  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  max {result.MaxMs,7:F1} ms  errors {result.Errors}  send lag p99 {result.SendLagP99Ms:F2} ms  CPU server {result.ServerCpuShare:P0}, generator {result.GeneratorCpuPerRequestUs:F0} µs per request, {results.Sum(r => r.Wakeups)} wake-ups, thread priority {(GeneratorThreadPriority.Raised ? "raised (nice -5)" : "default")}"));
            return result;
        }
        finally
        {
            generators.ForEach(g => g.Dispose());
        }
    }
}
