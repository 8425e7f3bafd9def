namespace IdentityBroker.Server.Connections;

/// <summary>
/// Open connections that are not serving a request, oldest first, in two tiers: those that have not sent a request yet,
/// and those kept alive after their last response. When every slot is taken, the oldest connection silent for at least
/// <see cref="GracePeriod"/> is closed to make room for the new one, a never-started one before a kept-alive one: clients
/// that open connections and send nothing, or one request each and then nothing, cannot keep real clients out until the
/// keep-alive timeout closes them. A real client sends its request within milliseconds of connecting, so it is never the
/// one closed; an HTTP client whose kept-alive connection is closed opens a new one (RFC 9112 §9.3.1 allows the server
/// to close an idle connection at any time).
/// </summary>
internal sealed class UnstartedConnections(TimeProvider time)
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly LinkedList<Silent> _unstarted = new();
    private readonly LinkedList<Silent> _keptAlive = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);

    /// <summary>Connections not serving a request now (never started, or kept alive).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _unstarted.Count + _keptAlive.Count;
            }
        }
    }

    public void Add(LimitedConnection connection)
    {
        lock (_gate)
        {
            var entry = new Entry(connection);
            entry.Node = _unstarted.AddLast(new Silent(connection, connection.AcceptedAt));
            _byId[connection.ConnectionId] = entry;
        }
    }

    /// <summary>A request arrived on the connection: while it is served, the connection is not a candidate.</summary>
    public void Started(string connectionId)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(connectionId, out var entry))
            {
                entry.InFlight++;
                Unlink(entry);
            }
        }
    }

    /// <summary>A response was sent: with no other request in flight, the connection is kept alive, silent from now.</summary>
    public void Completed(string connectionId)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_byId.TryGetValue(connectionId, out var entry) && --entry.InFlight == 0 && entry.Node is null)
            {
                entry.Node = _keptAlive.AddLast(new Silent(entry.Connection, now));
            }
        }
    }

    /// <summary>The connection closed: it is no longer a candidate.</summary>
    public void Remove(string connectionId)
    {
        lock (_gate)
        {
            if (_byId.Remove(connectionId, out var entry))
            {
                Unlink(entry);
            }
        }
    }

    /// <returns>The oldest connection silent for at least the grace period, taken out of the table; null if none.</returns>
    public LimitedConnection? TakeOldestSilent()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            return TakeSilent(_unstarted, now) ?? TakeSilent(_keptAlive, now);
        }
    }

    private LimitedConnection? TakeSilent(LinkedList<Silent> tier, long now)
    {
        var oldest = tier.First;
        if (oldest is null || time.GetElapsedTime(oldest.Value.Since, now) < GracePeriod)
        {
            return null;
        }

        var connection = oldest.Value.Connection;
        if (_byId.Remove(connection.ConnectionId, out var entry))
        {
            Unlink(entry);
        }

        return connection;
    }

    private static void Unlink(Entry entry)
    {
        entry.Node?.List?.Remove(entry.Node);
        entry.Node = null;
    }

    private readonly record struct Silent(LimitedConnection Connection, long Since);

    private sealed class Entry(LimitedConnection connection)
    {
        public LimitedConnection Connection { get; } = connection;

        /// <summary>Requests being served (more than one only on HTTP/2).</summary>
        public int InFlight { get; set; }

        /// <summary>Its place in one of the two tiers while it is silent; null while a request is served.</summary>
        public LinkedListNode<Silent>? Node { get; set; }
    }
}
