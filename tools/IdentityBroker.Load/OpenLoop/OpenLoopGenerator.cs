using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

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

    /// <summary>The generator's own CPU per request, when the caller measured it (NaN otherwise): what it takes from the server's cores.</summary>
    public double GeneratorCpuPerRequestUs { get; init; } = double.NaN;
}

/// <summary>
/// An open-loop load generator: request i goes out at start + i / rate whatever the earlier replies did, over as many
/// connections as that needs (one more is opened whenever a request is due and none is free), and its latency counts
/// from when it was due. wrk and other closed-loop tools wait for a reply before the next request on a connection, so a
/// slow reply holds back the requests behind it and they are never measured (coordinated omission); this one keeps the
/// offered rate. It speaks HTTP/1.1 over plain sockets with the request bytes built once: HttpClient's per-request
/// work made the generator, not the server, the limit on the shared 2-core machine.
/// </summary>
public sealed class OpenLoopGenerator : IDisposable
{
    /// <summary>The shortest wait the timer honours (<see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> counts whole milliseconds).</summary>
    internal static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
    private readonly int _maxConnections;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();

    /// <param name="maxConnections">Upper bound of concurrent connections; above it, due requests wait for a free one (still measured from when they were due).</param>
    /// <param name="timeout">How long after the last request is due the run waits for replies; unanswered requests are errors.</param>
    public OpenLoopGenerator(int maxConnections, TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConnections);
        _maxConnections = maxConnections;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Sends request i with body i mod bodies.Count to <paramref name="url"/> as an AWS JSON 1.1 call of <paramref name="target"/>.</summary>
    public async Task<OpenLoopResult> RunAsync(Uri url, string target, IReadOnlyList<byte[]> bodies, OpenLoopSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(bodies);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfZero(bodies.Count);
        var run = new Run(this, new IPEndPoint(IPAddress.Parse(url.Host), url.Port), [.. bodies.Select(b => Request(url, target, b))], schedule);
        var start = _time.GetTimestamp();
        run.Start = start;
        var next = 0;
        while (next < schedule.Count)
        {
            var elapsed = _time.GetElapsedTime(start);
            for (var due = schedule.DueBy(elapsed); next < due; next++)
            {
                run.Offer(next);
            }

            if (next < schedule.Count)
            {
                // The timer's resolution (1 ms) batches the sends due within it; their latency still counts from their own
                // due time. A shorter wait is not one: Task.Delay counts whole milliseconds and returns a completed task for
                // less, so at rates above 1,000/s (a request due every < 1 ms) this loop spun on its thread until the next
                // due time, all run long, and took a whole core from the server it measured.
                var wait = schedule.DueAt(next) - _time.GetElapsedTime(start);
                await Task.Delay(wait > MinimumWait ? wait : MinimumWait, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        await run.FinishAsync(_timeout).ConfigureAwait(false);
        return new OpenLoopResult(schedule.RatePerSecond, run.Samples(), _time.GetElapsedTime(start));
    }

    public void Dispose()
    {
        foreach (var socket in _sockets.Keys)
        {
            socket.Dispose();
        }
    }

    private static byte[] Request(Uri url, string target, byte[] body) =>
    [
        .. Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/x-amz-json-1.1\r\n" +
            $"X-Amz-Target: {target}\r\nContent-Length: {body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\n\r\n"),
        .. body,
    ];

    /// <summary>
    /// One reply: the status from the status line, then the body by Content-Length or chunked encoding (read, not kept).
    /// Returns the status, and whether the connection can carry another request.
    /// </summary>
    private static async Task<(int Status, bool KeepAlive)> ReadReplyAsync(Socket socket, byte[] buffer)
    {
        var length = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, length).IndexOf(HeaderEnd)) < 0)
        {
            length += await ReceiveAsync(socket, buffer, length).ConfigureAwait(false);
        }

        var (status, contentLength, chunked, keepAlive) = ParseHead(buffer.AsSpan(0, headerEnd));
        var bodyStart = headerEnd + HeaderEnd.Length;
        if (chunked)
        {
            // The whole body is kept until its last chunk: replies here are a few kilobytes.
            while (!buffer.AsSpan(bodyStart, length - bodyStart).EndsWith(LastChunk))
            {
                length += await ReceiveAsync(socket, buffer, length).ConfigureAwait(false);
            }
        }
        else if (contentLength >= 0)
        {
            for (var remaining = contentLength - (length - bodyStart); remaining > 0;)
            {
                remaining -= await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining))).ConfigureAwait(false) is > 0 and var n
                    ? n
                    : throw new IOException("The server closed the connection inside a reply.");
            }
        }
        else
        {
            keepAlive = false;
        }

        return (status, keepAlive);
    }

    private static async Task<int> ReceiveAsync(Socket socket, byte[] buffer, int offset)
    {
        if (offset == buffer.Length)
        {
            throw new IOException("The reply's headers or chunked body exceed the generator's buffer.");
        }

        var read = await socket.ReceiveAsync(buffer.AsMemory(offset)).ConfigureAwait(false);
        return read > 0 ? read : throw new IOException("The server closed the connection inside a reply.");
    }

    /// <summary>
    /// Status, Content-Length (-1 without one), chunked and keep-alive, parsed from the bytes: a string per reply and
    /// a split of it were most of the generator's allocation per request.
    /// </summary>
    private static (int Status, int ContentLength, bool Chunked, bool KeepAlive) ParseHead(ReadOnlySpan<byte> head)
    {
        var length = Header(head, "content-length"u8);
        return (
            Status(head),
            length.IsEmpty ? -1 : Number(length),
            ContainsIgnoreCase(Header(head, "transfer-encoding"u8), "chunked"u8),
            !ContainsIgnoreCase(Header(head, "connection"u8), "close"u8));
    }

    /// <summary>The status code of an HTTP/1.1 status line (<c>HTTP/1.1 200 OK</c>).</summary>
    private static int Status(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd >= 0 ? head[..lineEnd] : head;
        var space = line.IndexOf((byte)' ');
        if (space < 0)
        {
            throw new FormatException("The reply has no status line.");
        }

        var code = line[(space + 1)..];
        var codeEnd = code.IndexOf((byte)' ');
        return Number(codeEnd >= 0 ? code[..codeEnd] : code);
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> word)
    {
        for (var i = 0; i + word.Length <= value.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(value.Slice(i, word.Length), word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A non-negative decimal number; <see cref="FormatException"/> otherwise (the run counts the reply as an error).</summary>
    private static int Number(ReadOnlySpan<byte> digits) =>
        Utf8Parser.TryParse(digits, out int value, out var used) && used == digits.Length && value >= 0
            ? value
            : throw new FormatException("The reply's status line or a length is not a number.");

    /// <summary>The trimmed value of the first header named <paramref name="name"/> (any case), or an empty span.</summary>
    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        var rest = head;
        for (var end = rest.IndexOf("\r\n"u8); end >= 0; end = rest.IndexOf("\r\n"u8))
        {
            rest = rest[(end + 2)..];
            var lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd >= 0 ? rest[..lineEnd] : rest;
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && Ascii.EqualsIgnoreCase(line[..colon].Trim((byte)' '), name))
            {
                return line[(colon + 1)..].Trim((byte)' ');
            }
        }

        return [];
    }

    /// <summary>
    /// The state of one run: due request numbers go into a channel, one worker per connection takes them. A worker is
    /// started for a due request when no worker is waiting (each waiting worker is counted in _idle and reserved by
    /// the request that will wake it), so the number of connections follows the requests in flight.
    /// </summary>
    private sealed class Run(OpenLoopGenerator owner, IPEndPoint endpoint, byte[][] requests, OpenLoopSchedule schedule)
    {
        private readonly Channel<int> _due = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        private readonly OpenLoopSample?[] _samples = new OpenLoopSample?[schedule.Count];
        private readonly List<Task> _workers = [];
        private int _idle;
        private volatile bool _stopped;

        public long Start { get; set; }

        public void Offer(int index)
        {
            _due.Writer.TryWrite(index);
            if (Interlocked.Decrement(ref _idle) >= 0)
            {
                return;
            }

            Interlocked.Increment(ref _idle);
            if (_workers.Count < owner._maxConnections)
            {
                _workers.Add(Task.Run(WorkAsync));
            }
        }

        /// <summary>Waits for the replies; after <paramref name="timeout"/> closes every connection and counts what is left as unanswered.</summary>
        public async Task FinishAsync(TimeSpan timeout)
        {
            _due.Writer.Complete();
            var all = Task.WhenAll(_workers);
            if (await Task.WhenAny(all, Task.Delay(timeout, owner._time)).ConfigureAwait(false) != all)
            {
                _stopped = true;
                owner.Dispose();
            }

            await all.ConfigureAwait(false);
        }

        public OpenLoopSample[] Samples() =>
        [
            .. _samples.Select((s, i) => s ?? new OpenLoopSample(schedule.DueAt(i), schedule.DueAt(i), owner._time.GetElapsedTime(Start), 0)),
        ];

        private async Task WorkAsync()
        {
            Socket? socket = null;
            var buffer = new byte[65536];
            var first = true;
            while (true)
            {
                if (!first)
                {
                    Interlocked.Increment(ref _idle);
                }

                first = false;
                int index;
                try
                {
                    index = await _due.Reader.ReadAsync().ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    break;
                }

                var sent = owner._time.GetElapsedTime(Start);
                var status = 0;
                if (!_stopped)
                {
                    try
                    {
                        socket ??= await ConnectAsync().ConfigureAwait(false);
                        await socket.SendAsync(requests[index % requests.Length]).ConfigureAwait(false);
                        (status, var keepAlive) = await ReadReplyAsync(socket, buffer).ConfigureAwait(false);
                        if (!keepAlive)
                        {
                            Close(ref socket);
                        }
                    }
                    catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or FormatException or IndexOutOfRangeException)
                    {
                        status = 0;
                        Close(ref socket);
                    }
                }

                _samples[index] = new OpenLoopSample(schedule.DueAt(index), sent, owner._time.GetElapsedTime(Start), status);
            }

            Close(ref socket);
        }

        private async Task<Socket> ConnectAsync()
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            owner._sockets[socket] = 0;
            await socket.ConnectAsync(endpoint).ConfigureAwait(false);
            return socket;
        }

        private void Close(ref Socket? socket)
        {
            if (socket is not null)
            {
                owner._sockets.TryRemove(socket, out _);
                socket.Dispose();
                socket = null;
            }
        }
    }
}
