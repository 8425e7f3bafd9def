using System.Buffers.Text;
using System.Net;
using System.Runtime.InteropServices;
using System.Net.Sockets;
using System.Text;

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

    /// <summary>How often the generator's thread waited (in <c>poll</c> or asleep): about one wake-up per millisecond at most, or more when replies come in between.</summary>
    public int Wakeups { get; init; }

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
/// offered rate.
/// </summary>
/// <remarks>
/// One thread does all of a run's socket work: it wakes at most once a millisecond, sends every request due by then
/// (one <c>send</c> each, on a free keep-alive connection), then waits in one <c>poll</c> over the connections in flight
/// until a reply arrives or the next request is due, and reads what arrived. Before 2026-12-08 each connection had its own
/// task fed through a channel, so every request cost a channel hop, two thread-pool dispatches and a timer callback; on
/// the 2-core machine, whose cores the server under test keeps busy, those dispatches queued behind the server's work and
/// the generator's own send lag reached a p99 of 7–10 ms (docs/performance.md). Request bytes are built once per run,
/// per-request state is three array slots, and connections stay open from one run to the next (the unmeasured run opens
/// them).
/// </remarks>
public sealed class OpenLoopGenerator : IDisposable
{
    /// <summary>The shortest wait: <c>poll</c> and <see cref="Thread.Sleep(int)"/> count whole milliseconds.</summary>
    internal static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
    private readonly int _maxConnections;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Stack<Connection> _free = new();
    private readonly Dictionary<Socket, Connection> _open = [];

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
    public Task<OpenLoopResult> RunAsync(Uri url, string target, IReadOnlyList<byte[]> bodies, OpenLoopSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(bodies);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfZero(bodies.Count);
        var run = new Run(this, new IPEndPoint(IPAddress.Parse(url.Host), url.Port), [.. bodies.Select(b => Request(url, target, b))], schedule, cancellationToken);
        var done = new TaskCompletionSource<OpenLoopResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                GeneratorThreadPriority.Raise();
                done.SetResult(run.Execute());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "open-loop generator" };
        thread.Start();
        return done.Task;
    }

    public void Dispose()
    {
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        _open.Clear();
        _free.Clear();
    }

    private static byte[] Request(Uri url, string target, byte[] body) =>
    [
        .. Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/x-amz-json-1.1\r\n" +
            $"X-Amz-Target: {target}\r\nContent-Length: {body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\n\r\n"),
        .. body,
    ];

    /// <summary>
    /// Whether <paramref name="connection"/>'s buffer holds a whole reply: the status from the status line, then the body by
    /// Content-Length or chunked encoding (read, not kept). A body longer than the buffer is counted down in
    /// <see cref="Connection.BodyLeft"/> instead.
    /// </summary>
    private static bool TryCompleteReply(Connection connection)
    {
        if (connection.BodyLeft > 0)
        {
            connection.BodyLeft -= connection.Length;
            connection.Length = 0;
            return connection.BodyLeft <= 0;
        }

        var buffer = connection.Buffer.AsSpan(0, connection.Length);
        var headerEnd = buffer.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            return connection.Length < connection.Buffer.Length ? false : throw new IOException("The reply's headers exceed the generator's buffer.");
        }

        var (status, contentLength, chunked, keepAlive) = ParseHead(buffer[..headerEnd]);
        var body = buffer[(headerEnd + HeaderEnd.Length)..];
        if (chunked)
        {
            // The whole body is kept until its last chunk: replies here are a few kilobytes.
            if (!body.EndsWith(LastChunk))
            {
                return connection.Length < connection.Buffer.Length ? false : throw new IOException("The chunked reply exceeds the generator's buffer.");
            }
        }
        else if (contentLength < 0)
        {
            // No length: the body ends with the connection, which this generator does not wait for.
            keepAlive = false;
        }
        else if (body.Length < contentLength)
        {
            connection.BodyLeft = contentLength - body.Length;
            connection.Length = 0;
            connection.PendingStatus = status;
            connection.PendingKeepAlive = keepAlive;
            return false;
        }

        connection.PendingStatus = status;
        connection.PendingKeepAlive = keepAlive;
        return true;
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

    /// <summary>One keep-alive connection and the reply it is reading.</summary>
    private sealed class Connection(Socket socket)
    {
        public Socket Socket { get; } = socket;

        public byte[] Buffer { get; } = new byte[65536];

        public int Length { get; set; }

        /// <summary>The request in flight on it, or -1.</summary>
        public int Index { get; set; } = -1;

        /// <summary>Its place in the run's in-flight list, for removal in constant time.</summary>
        public int Slot { get; set; } = -1;

        public int BodyLeft { get; set; }

        public int PendingStatus { get; set; }

        public bool PendingKeepAlive { get; set; }
    }

    /// <summary>One run's event loop, on the generator's thread: send what is due, wait for replies or the next due time, read.</summary>
    private sealed class Run(OpenLoopGenerator owner, IPEndPoint endpoint, byte[][] requests, OpenLoopSchedule schedule, CancellationToken cancellationToken)
    {
        private readonly long[] _sent = new long[schedule.Count];
        private readonly long[] _completed = new long[schedule.Count];
        private readonly int[] _status = new int[schedule.Count];
        private readonly bool[] _done = new bool[schedule.Count];
        private readonly List<Connection> _inFlight = [];
        private readonly List<Socket> _readable = [];
        private readonly Queue<int> _waiting = new();
        private long _start;
        private int _wakeups;

        public OpenLoopResult Execute()
        {
            DropClosedConnections();
            var deadline = schedule.DueAt(schedule.Count - 1) + owner._timeout;
            _start = owner._time.GetTimestamp();
            var next = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = owner._time.GetElapsedTime(_start);
                for (var due = schedule.DueBy(elapsed); next < due; next++)
                {
                    _waiting.Enqueue(next);
                }

                SendWaiting();
                if (next == schedule.Count && _waiting.Count == 0 && _inFlight.Count == 0)
                {
                    break;
                }

                if (elapsed > deadline)
                {
                    Abandon();
                    break;
                }

                var wait = next < schedule.Count ? schedule.DueAt(next) - elapsed : deadline - elapsed;
                Wait(wait > MinimumWait ? wait : MinimumWait);
            }

            var end = owner._time.GetElapsedTime(_start);
            OpenLoopSample[] samples =
            [
                .. Enumerable.Range(0, schedule.Count).Select(i => _done[i]
                    ? new OpenLoopSample(schedule.DueAt(i), TimeSpan.FromTicks(_sent[i]), TimeSpan.FromTicks(_completed[i]), _status[i])
                    : new OpenLoopSample(schedule.DueAt(i), schedule.DueAt(i), end, 0)),
            ];
            return new OpenLoopResult(schedule.RatePerSecond, samples, end) { Wakeups = _wakeups };
        }

        /// <summary>Every due request that can go out now: on a free connection, or a new one while under the bound.</summary>
        private void SendWaiting()
        {
            while (_waiting.Count > 0)
            {
                if (owner._free.Count == 0 && owner._open.Count >= owner._maxConnections)
                {
                    return; // every connection is busy: the next reply frees one
                }

                var index = _waiting.Dequeue();
                _sent[index] = owner._time.GetElapsedTime(_start).Ticks;
                if ((owner._free.Count > 0 ? owner._free.Pop() : Open()) is not { } connection)
                {
                    Finish(index, 0); // the connection failed
                    continue;
                }

                try
                {
                    connection.Socket.Send(requests[index % requests.Length]);
                    connection.Index = index;
                    connection.Length = 0;
                    connection.BodyLeft = 0;
                    connection.Slot = _inFlight.Count;
                    _inFlight.Add(connection);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    Finish(index, 0);
                    Close(connection);
                }
            }
        }

        /// <summary>One wait: in <c>poll</c> when replies are awaited, asleep otherwise; then every reply that arrived is read.</summary>
        private void Wait(TimeSpan wait)
        {
            _wakeups++;
            if (_inFlight.Count == 0)
            {
                Thread.Sleep(wait);
                return;
            }

            _readable.Clear();
            foreach (var connection in _inFlight)
            {
                _readable.Add(connection.Socket);
            }

            Socket.Select(_readable, null, null, wait);
            foreach (var socket in _readable)
            {
                Read(owner._open[socket]);
            }
        }

        private void Read(Connection connection)
        {
            try
            {
                var read = connection.Socket.Receive(connection.Buffer.AsSpan(connection.Length));
                if (read == 0)
                {
                    throw new IOException("The server closed the connection inside a reply.");
                }

                connection.Length += read;
                if (!TryCompleteReply(connection))
                {
                    return;
                }

                Release(connection);
                Finish(connection.Index, connection.PendingStatus);
                if (connection.PendingKeepAlive)
                {
                    owner._free.Push(connection);
                }
                else
                {
                    Close(connection);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or FormatException or IndexOutOfRangeException)
            {
                Release(connection);
                Finish(connection.Index, 0);
                Close(connection);
            }
        }

        /// <summary>Connections the server closed while they were idle since the last run (readable with nothing to read).</summary>
        private void DropClosedConnections()
        {
            var kept = owner._free.Where(c => !c.Socket.Poll(0, SelectMode.SelectRead)).ToList();
            foreach (var closed in owner._free.Except(kept))
            {
                Close(closed);
            }

            owner._free.Clear();
            kept.ForEach(owner._free.Push);
        }

        /// <summary>Time's up: what is still unanswered or unsent is an error, and its connection is closed.</summary>
        private void Abandon()
        {
            while (_inFlight.Count > 0)
            {
                var connection = _inFlight[^1];
                Release(connection);
                Close(connection);
            }
        }

        private void Finish(int index, int status)
        {
            _completed[index] = owner._time.GetElapsedTime(_start).Ticks;
            _status[index] = status;
            _done[index] = true;
        }

        private void Release(Connection connection)
        {
            var last = _inFlight[^1];
            _inFlight[connection.Slot] = last;
            last.Slot = connection.Slot;
            _inFlight.RemoveAt(_inFlight.Count - 1);
            connection.Slot = -1;
        }

        private Connection? Open()
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Connect(endpoint);
            }
            catch (SocketException)
            {
                socket.Dispose();
                return null;
            }

            var connection = new Connection(socket);
            owner._open[socket] = connection;
            return connection;
        }

        private void Close(Connection connection)
        {
            owner._open.Remove(connection.Socket);
            connection.Socket.Dispose();
        }
    }
}

/// <summary>
/// The generator's thread runs at a higher scheduling priority (nice -5) where the process may raise it (root, or
/// CAP_SYS_NICE; Linux only; otherwise it stays as it is). On the shared 2-core machine, with tens of runnable processes,
/// a single thread at the default priority got a small share of a core and sent seconds late; raised, it takes only the
/// CPU it needs (tens of µs per request) and sends on time, so the latency it reports is the server's, not its own.
/// </summary>
internal static class GeneratorThreadPriority
{
    private const int PrioProcess = 0;
    private const int Nice = -5;

    /// <summary>Whether the last call raised the calling thread's priority.</summary>
    public static bool Raised { get; private set; }

    public static void Raise()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // PRIO_PROCESS with a thread id changes that thread only (Linux setpriority(2), "BUGS").
            Raised = NativeMethods.setpriority(PrioProcess, NativeMethods.gettid(), Nice) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Raised = false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int setpriority(int which, int who, int prio);

        [DllImport("libc")]
        public static extern int gettid();
    }
}
