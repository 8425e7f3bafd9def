namespace IdentityBroker.Server.Connections;

/// <summary>
/// Open connections that have not sent a request yet, oldest first. When every slot is taken, the oldest of them that
/// has been silent for at least <see cref="GracePeriod"/> is closed to make room for the new connection: clients that
/// open connections and send nothing cannot keep real clients out until the keep-alive timeout closes them. A real
/// client sends its request within milliseconds of connecting, so it is never the one closed.
/// </summary>
internal sealed class UnstartedConnections(TimeProvider time)
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly LinkedList<LimitedConnection> _oldestFirst = new();
    private readonly Dictionary<string, LinkedListNode<LimitedConnection>> _byId = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _oldestFirst.Count;
            }
        }
    }

    public void Add(LimitedConnection connection)
    {
        lock (_gate)
        {
            _byId[connection.ConnectionId] = _oldestFirst.AddLast(connection);
        }
    }

    /// <summary>The connection's first request arrived (or it closed): it is no longer a candidate.</summary>
    public void Remove(string connectionId)
    {
        lock (_gate)
        {
            if (_byId.Remove(connectionId, out var node))
            {
                _oldestFirst.Remove(node);
            }
        }
    }

    /// <returns>The oldest connection silent for at least the grace period, taken out of the table; null if none.</returns>
    public LimitedConnection? TakeOldestSilent()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var oldest = _oldestFirst.First;
            if (oldest is null || time.GetElapsedTime(oldest.Value.AcceptedAt, now) < GracePeriod)
            {
                return null;
            }

            _oldestFirst.RemoveFirst();
            _byId.Remove(oldest.Value.ConnectionId);
            return oldest.Value;
        }
    }
}
