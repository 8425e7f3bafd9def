using System.Collections.Concurrent;
using IdentityBroker.UserPools.Sessions;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// User-pool sessions as last read, so that the revocation check every access-token call makes (GetUser, …) need not read
/// the database. Exact because a SQLite database has one broker process and every write goes through the store's one
/// writer: each write, once committed, moves <see cref="Generation"/> on (<see cref="Invalidate"/>), and an entry is served
/// only while the generation it was read under is current. A reader takes the generation before it reads the database,
/// so a read that could have seen the state before a write is never served after that write returns (a revoked session
/// stops at once). Bounded: a full cache starts again.
/// </summary>
internal sealed class SqliteSessionCache
{
    public const int Capacity = 50_000;

    private readonly ConcurrentDictionary<(string Pool, string Session), Entry> _entries = new();
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public UserPoolSession? Find(string userPoolId, string sessionId, long generation) =>
        _entries.TryGetValue((userPoolId, sessionId), out var entry) && entry.Generation == generation ? entry.Session : null;

    /// <param name="generation">The <see cref="Generation"/> taken before the database read that found <paramref name="session"/>.</param>
    public void Add(string userPoolId, string sessionId, UserPoolSession session, long generation)
    {
        if (generation != Generation)
        {
            return;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[(userPoolId, sessionId)] = new Entry(session, generation);
    }

    /// <summary>Called after every write: what was read before it is no longer served.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        if (!_entries.IsEmpty)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(UserPoolSession Session, long Generation);
}
