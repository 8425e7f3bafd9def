using System.Collections.Concurrent;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// The hot user-pool reads of the access-token operations — the session (the revocation check every call makes), the pool
/// and the user (GetUser, …) — as last read, so that a call need not read the database again. Exact because a SQLite
/// database has one broker process and every write goes through the store's one writer: each write, once committed, moves
/// <see cref="Generation"/> on (<see cref="Invalidate"/>), and an entry is served only while the generation it was read
/// under is current. A reader takes the generation before it reads the database, so a read that could have seen the state
/// before a write is never served after that write returns (a revoked session stops at once). Null answers are kept too.
/// Bounded: a full cache starts again.
/// </summary>
internal sealed class SqliteReadCache
{
    public const int Capacity = 50_000;

    private readonly ConcurrentDictionary<(string Kind, string Pool, string Key), Entry> _entries = new();
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryFind(string kind, string userPoolId, string key, long generation, out object? value)
    {
        if (_entries.TryGetValue((kind, userPoolId, key), out var entry) && entry.Generation == generation)
        {
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <param name="generation">The <see cref="Generation"/> taken before the database read that found <paramref name="value"/>.</param>
    public void Add(string kind, string userPoolId, string key, object? value, long generation)
    {
        if (generation != Generation)
        {
            return;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[(kind, userPoolId, key)] = new Entry(value, generation);
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

    private sealed record Entry(object? Value, long Generation);
}
