using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IdentityBroker.Load;

/// <summary>What one wrk run measured, plus the CPU and memory the tool sampled around it.</summary>
public sealed record RunResult(
    long Requests,
    double Seconds,
    long Errors,
    double P50Ms,
    double P99Ms,
    double WrkCpuShare,
    double ServerCpuShare,
    double OtherCpuShare,
    long ServerPeakRssBytes,
    string LoadAverageBefore)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>Requests served per CPU-second the server process used (its share is of all cores): what a request costs, whatever the neighbours took.</summary>
    public double RequestsPerServerCpuSecond => RequestsPerSecond / (ServerCpuShare * Environment.ProcessorCount);
}

/// <summary>Runs Debian's wrk with the bodies script and samples the server process and the machine while it runs.</summary>
public sealed partial class Wrk(string scriptPath, int threads, int connections, int durationSeconds)
{
    public static bool IsInstalled() => File.Exists("/usr/bin/wrk");

    public async Task<RunResult> RunAsync(Uri url, string target, string bodiesFile, int serverPid)
    {
        var loadBefore = ProcStats.LoadAverage();
        var info = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-f", "WRKCPU %U %S", "/usr/bin/wrk", $"-t{threads}", $"-c{connections}", $"-d{durationSeconds}s", "--timeout", "10s",
            "-s", scriptPath, url.ToString(), "--", target, bodiesFile,
        })
        {
            info.ArgumentList.Add(a);
        }

        var machineBefore = ProcStats.MachineCpu();
        var serverBefore = ProcStats.CpuSeconds(serverPid);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ProcStats.MemoryBytes(serverPid));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(200));
        }

        var serverCpu = ProcStats.CpuSeconds(serverPid) - serverBefore;
        var machineAfter = ProcStats.MachineCpu();
        var output = await stdout;
        var errors = await stderr;
        var result = ResultLine().Match(output);
        if (!result.Success)
        {
            throw new InvalidOperationException($"wrk printed no RESULT line: {output} {errors}");
        }

        var v = result.Groups.Cast<Group>().Skip(1).ToDictionary(g => g.Name, g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        var cpu = WrkCpu().Match(errors);
        var wrkCpu = cpu.Success ? double.Parse(cpu.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(cpu.Groups[2].Value, CultureInfo.InvariantCulture) : double.NaN;
        var wall = machineAfter.Total - machineBefore.Total; // CPU-seconds available on all cores in the interval
        var busy = machineAfter.Busy - machineBefore.Busy;
        var seconds = v["duration_us"] / 1e6;
        return new RunResult(
            v["requests"],
            seconds,
            v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"],
            v["p50_us"] / 1000.0,
            v["p99_us"] / 1000.0,
            wrkCpu / wall,
            serverCpu / wall,
            Math.Max(0, busy - serverCpu - (double.IsNaN(wrkCpu) ? 0 : wrkCpu)) / wall,
            peak,
            loadBefore);
    }

    [GeneratedRegex(@"RESULT requests=(?<requests>\d+) duration_us=(?<duration_us>\d+) bytes=\d+ connect=(?<connect>\d+) read=(?<read>\d+) write=(?<write>\d+) status=(?<status>\d+) timeout=(?<timeout>\d+) p50_us=(?<p50_us>\d+) p90_us=\d+ p99_us=(?<p99_us>\d+)")]
    private static partial Regex ResultLine();

    [GeneratedRegex(@"WRKCPU ([0-9.]+) ([0-9.]+)")]
    private static partial Regex WrkCpu();
}
