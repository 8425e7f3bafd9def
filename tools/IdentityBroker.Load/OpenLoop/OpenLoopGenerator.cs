using System.Net.Http.Headers;

namespace IdentityBroker.Load.OpenLoop;

/// <summary>What happened to one request: when it was due, when it went out, when its reply (or failure) came back.</summary>
public sealed record OpenLoopSample(TimeSpan Due, TimeSpan Sent, TimeSpan Completed, int Status)
{
    /// <summary>Measured from the time the request was due, not from when it went out: a generator that fell behind adds its own lateness, it does not hide it.</summary>
    public TimeSpan Latency => Completed - Due;

    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>The samples of one open-loop run, in schedule order, and what they add up to.</summary>
public sealed class OpenLoopResult
{
    private readonly Percentiles _latencyMs;
    private readonly Percentiles _sendLagMs;

    public OpenLoopResult(double offeredPerSecond, IReadOnlyList<OpenLoopSample> samples, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        OfferedPerSecond = offeredPerSecond;
        Samples = samples;
        Elapsed = elapsed;
        _latencyMs = new Percentiles(samples.Select(s => s.Latency.TotalMilliseconds));
        _sendLagMs = new Percentiles(samples.Select(s => (s.Sent - s.Due).TotalMilliseconds));
        Errors = samples.Count(s => !s.Ok);
    }

    public double OfferedPerSecond { get; }

    public IReadOnlyList<OpenLoopSample> Samples { get; }

    /// <summary>From the start of the schedule until the last reply.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Replies that were not 2xx, failed connections and requests unanswered within the timeout.</summary>
    public int Errors { get; }

    public double P50Ms => _latencyMs.At(50);

    public double P99Ms => _latencyMs.At(99);

    public double MaxMs => _latencyMs.Max;

    /// <summary>How late the generator itself sent (99th percentile): large values mean the machine, not the server, was the limit.</summary>
    public double SendLagP99Ms => _sendLagMs.At(99);

    /// <summary>Server CPU share of all cores during the run, when the caller measured it (NaN otherwise).</summary>
    public double ServerCpuShare { get; init; } = double.NaN;
}

/// <summary>
/// An open-loop load generator: request i goes out at start + i / rate whatever the earlier replies did, over as many
/// connections as that needs (new ones are opened when all are busy), and its latency counts from when it was due.
/// wrk and other closed-loop tools wait for a reply before the next request on a connection, so a slow reply holds back
/// the requests behind it and they are never measured (coordinated omission); this one keeps the offered rate.
/// </summary>
public sealed class OpenLoopGenerator : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/x-amz-json-1.1");
    private readonly HttpMessageInvoker _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    /// <param name="maxConnections">Upper bound of concurrent connections; set it above rate × the longest latency expected, or requests queue in the client (still measured from when they were due).</param>
    /// <param name="timeout">A request unanswered this long counts as an error.</param>
    public OpenLoopGenerator(int maxConnections, TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConnections);
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        });
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Sends request i with body i mod bodies.Count to <paramref name="url"/> as an AWS JSON 1.1 call of <paramref name="target"/>.</summary>
    public async Task<OpenLoopResult> RunAsync(Uri url, string target, IReadOnlyList<byte[]> bodies, OpenLoopSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfZero(bodies.Count);
        var inFlight = new Task<OpenLoopSample>[schedule.Count];
        var start = _time.GetTimestamp();
        var next = 0;
        while (next < schedule.Count)
        {
            var elapsed = _time.GetElapsedTime(start);
            for (var due = schedule.DueBy(elapsed); next < due; next++)
            {
                inFlight[next] = SendAsync(url, target, bodies[next % bodies.Count], schedule.DueAt(next), start, cancellationToken);
            }

            if (next < schedule.Count)
            {
                // The timer's resolution (about 1 ms) batches the sends due within it; their latency still counts from their own due time.
                var wait = schedule.DueAt(next) - _time.GetElapsedTime(start);
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        var samples = await Task.WhenAll(inFlight).ConfigureAwait(false);
        return new OpenLoopResult(schedule.RatePerSecond, samples, _time.GetElapsedTime(start));
    }

    public void Dispose() => _http.Dispose();

    private async Task<OpenLoopSample> SendAsync(Uri url, string target, byte[] body, TimeSpan due, long start, CancellationToken cancellationToken)
    {
        // Off the scheduling loop at once: a connection being opened or a synchronous write must not delay the next send.
        await Task.Yield();
        var sent = _time.GetElapsedTime(start);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        int status;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = JsonType;
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            status = 0;
        }

        return new OpenLoopSample(due, sent, _time.GetElapsedTime(start), status);
    }
}
