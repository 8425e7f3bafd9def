using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace IdentityBroker.Server.Connections;

/// <summary>
/// The accept loop. Kestrel's own retries at once after any accept error; when the process is out of descriptors
/// (EMFILE) every retry fails at once, so that loop spun on a thread-pool thread, and the process grew by tens of MB a
/// second until the runtime could not start a thread and aborted with "Out of memory.". Here an
/// accept error waits before the next attempt (doubling up to a second) and is logged once per interval. When every
/// slot is taken, the oldest silent connection (no request yet, or kept alive) makes room (<see cref="UnstartedConnections"/>);
/// failing that, the new connection is closed as soon as it is accepted, so its descriptor is freed at once.
/// </summary>
internal sealed class BoundedSocketListener(
    Socket listenSocket,
    SocketConnectionContextFactory connections,
    ConnectionSlots slots,
    UnstartedConnections unstarted,
    ConnectionLog log,
    TimeProvider time) : IConnectionListener
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _unbound = new();
    private TimeSpan _retryDelay = TimeSpan.Zero;

    public EndPoint EndPoint { get; } = listenSocket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        while (true)
        {
            var (socket, closed) = await TryAcceptAsync(stop.Token);
            if (closed)
            {
                return null;
            }

            if (socket is null)
            {
                continue;
            }

            if (!slots.TryTake() && !TryMakeRoom())
            {
                socket.Dispose();
                log.Refused(slots.Limit);
                continue;
            }

            if (Wrap(socket) is { } connection)
            {
                unstarted.Add(connection);
                return connection;
            }
        }
    }

    /// <summary>
    /// Kestrel's factory reads the socket's endpoints, and reading the peer's fails (ENOTCONN) when the client reset the
    /// connection between accept and here. Such a connection is gone: its slot goes back and the loop accepts the next.
    /// </summary>
    private LimitedConnection? Wrap(Socket socket)
    {
        try
        {
            return new LimitedConnection(connections.Create(socket), slots, unstarted, time.GetTimestamp());
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            slots.Release();
            socket.Dispose();
            return null;
        }
    }

    /// <returns>True when a silent connection was closed and its slot is now the caller's.</returns>
    private bool TryMakeRoom()
    {
        while (unstarted.TakeOldestSilent() is { } silent)
        {
            if (silent.TryCloseForNewConnection())
            {
                log.MadeRoom(slots.Limit);
                return true;
            }
        }

        return false;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.Cancel();
        listenSocket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        listenSocket.Dispose();
        _unbound.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <returns>The accepted socket, or none (try again), or closed when the listener was unbound.</returns>
    private async Task<(Socket? Socket, bool Closed)> TryAcceptAsync(CancellationToken stop)
    {
        try
        {
            var socket = await listenSocket.AcceptAsync(stop);
            _retryDelay = TimeSpan.Zero;
            if (socket.LocalEndPoint is IPEndPoint)
            {
                socket.NoDelay = true;
            }

            return (socket, false);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
                                      or SocketException { SocketErrorCode: SocketError.OperationAborted })
        {
            return (null, true);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            // The client gave up while its connection waited in the backlog: the next one may be fine.
            return (null, false);
        }
        catch (SocketException e)
        {
            // Out of descriptors (TooManyOpenSockets), buffers or memory: nothing changes until something is closed.
            _retryDelay = _retryDelay == TimeSpan.Zero ? FirstRetryDelay : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, LongestRetryDelay.Ticks));
            log.AcceptFailed(e.SocketErrorCode, _retryDelay);
            return (null, !await WaitAsync(_retryDelay, stop));
        }
    }

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, time, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
