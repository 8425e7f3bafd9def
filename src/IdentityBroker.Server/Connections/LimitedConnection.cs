using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityBroker.Server.Connections;

/// <summary>
/// A transport connection holding one of the <see cref="ConnectionSlots"/>: it gives the slot back when Kestrel disposes
/// it (the socket is closed then), or hands it to a new connection when it is closed to make room.
/// </summary>
internal sealed class LimitedConnection(ConnectionContext inner, ConnectionSlots slots, UnstartedConnections unstarted, long acceptedAt)
    : ConnectionContext
{
    private int _released;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when it was accepted.</summary>
    public long AcceptedAt { get; } = acceptedAt;

    /// <summary>Closes this connection and hands its slot to the caller.</summary>
    /// <returns>False when the connection was already gone and its slot returned: the caller has no slot.</returns>
    public bool TryCloseForNewConnection()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        inner.Abort(new ConnectionAbortedException("Closed to make room: the connection was silent and every slot was taken."));
        return true;
    }

    public override string ConnectionId
    {
        get => inner.ConnectionId;
        set => inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => inner.Items;
        set => inner.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => inner.Transport;
        set => inner.Transport = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => inner.ConnectionClosed;
        set => inner.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => inner.LocalEndPoint;
        set => inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => inner.RemoteEndPoint;
        set => inner.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

    public override void Abort() => inner.Abort();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync();
        }
        finally
        {
            unstarted.Remove(ConnectionId);
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }

            await base.DisposeAsync();
        }
    }
}
