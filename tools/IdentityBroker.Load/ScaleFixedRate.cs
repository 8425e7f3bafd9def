using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace IdentityBroker.Load;

/// <summary>One open-loop run: the offered rate, what was sent and how long each reply took from its due time.</summary>
public sealed record FixedRateResult(double OfferedPerSecond, int Sent, int Errors, double P50Ms, double P99Ms, double MaxMs, string LoadAverageBefore);

/// <summary>
/// The scale run's latency at a fixed offered load (issue 19: latency measured at a fixed rate, not at saturation):
/// requests are due at a fixed rate whatever the replies, and each one's latency counts from its due time, so a reply
/// the broker is slow to give delays no later request (no coordinated omission) and a late dispatcher counts against the
/// result, not for it. One dispatcher thread wakes every millisecond and sends what is due; the requests run on the
/// thread pool over up to 512 keep-alive connections. The scale run compares sizes at the same offered rate.
/// </summary>
public static class ScaleFixedRate
{
    private const int MaxConnections = 512;

    public static async Task<FixedRateResult> RunAsync(Uri url, string target, string bodiesFile, double ratePerSecond, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(url);
        var bodies = File.ReadAllLines(bodiesFile).Select(Encoding.UTF8.GetBytes).ToArray();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = MaxConnections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var errors = 0;
        var load = File.ReadAllText("/proc/loadavg").Trim();
        var sends = new Task[total];
        var start = Stopwatch.GetTimestamp();
        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * Stopwatch.Frequency / ratePerSecond);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(1);
                }

                var index = i;
                sends[i] = Task.Run(async () =>
                {
                    var ok = await SendAsync(http, target, bodies[index % bodies.Length]);
                    latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                });
            }
        }) { IsBackground = true, Name = "fixed-rate dispatcher" };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        await Task.WhenAll(sends);
        Array.Sort(latencies);
        return new FixedRateResult(ratePerSecond, total, errors, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], load);
    }

    private static async Task<bool> SendAsync(HttpClient http, string target, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(share * sorted.Length) - 1)];
}
