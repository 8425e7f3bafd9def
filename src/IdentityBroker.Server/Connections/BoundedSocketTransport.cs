using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Connections;

/// <summary>
/// Kestrel's socket transport with the broker's accept policy (<see cref="BoundedSocketListener"/>). Registered after
/// Kestrel's own, so Kestrel binds with this one. Kestrel's connections are created by its public
/// <see cref="SocketConnectionContextFactory"/>: only the accept loop differs.
/// </summary>
internal sealed class BoundedSocketTransport : IConnectionListenerFactory, IDisposable
{
    private readonly SocketConnectionContextFactory _connections;
    private readonly ConnectionSlots _slots;
    private readonly UnstartedConnections _unstarted;
    private readonly ConnectionLog _log;
    private readonly TimeProvider _time;

    public BoundedSocketTransport(
        IOptions<BrokerOptions> brokerOptions, ConnectionBudget budget, UnstartedConnections unstarted, ConnectionLog log, TimeProvider time, ILoggerFactory loggers)
    {
        var options = brokerOptions.Value;
        _unstarted = unstarted;
        _connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggers.CreateLogger<SocketConnectionContextFactory>());
        _slots = new ConnectionSlots(budget.MaxConcurrentConnections(options.Http));
        _log = log;
        _time = time;
        log.Limits(budget, _slots.Limit, derived: options.Http.MaxConcurrentConnections is null);
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket socket;
        try
        {
            socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Kestrel recognises this type (e.g. to fall back when localhost's IPv6 address is taken).
            throw new AddressInUseException(e.Message, e);
        }

        // Kestrel's default backlog (SocketTransportOptions.Backlog).
        socket.Listen(512);
        IConnectionListener listener = new BoundedSocketListener(socket, _connections, _slots, _unstarted, _log, _time);
        return ValueTask.FromResult(listener);
    }

    public void Dispose() => _connections.Dispose();
}
