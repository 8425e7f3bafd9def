using System.Collections.Concurrent;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// A few read-only connections kept open. In WAL mode readers do not block the writer or each other, so reads run
/// in parallel with writes; the pool bounds how many connections (and statement caches) exist. Renting and giving
/// back take no lock (a <see cref="ConcurrentQueue{T}"/> behind the slot semaphore): every GetId and every
/// GetCredentialsForIdentity rents once, and a lock here was a point of contention under load.
/// </summary>
internal sealed class SqliteReaderPool : IDisposable
{
    private readonly string _pragmas;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentQueue<SqliteSession> _idle = new();
    private volatile bool _disposed;

    /// <param name="pragmas">Run on each connection as it opens, after its busy timeout (the store's memory map).</param>
    public SqliteReaderPool(string connectionString, int size, string pragmas)
    {
        _connectionString = connectionString;
        _pragmas = "PRAGMA busy_timeout = 5000; " + pragmas;
        _slots = new SemaphoreSlim(size, size);
    }

    public async Task<TResult> ReadAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        SqliteSession? session = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            session = _idle.TryDequeue(out var idle) ? idle : await SqliteSession.OpenAsync(_connectionString, _pragmas, cancellationToken);
            return await work(session, state, cancellationToken);
        }
        finally
        {
            if (session is not null)
            {
                GiveBack(session);
            }

            _slots.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;

        // Pairs with the interlocked Enqueue in GiveBack: either GiveBack sees _disposed or this drain sees its session.
        Interlocked.MemoryBarrier();
        DrainIdle();
    }

    private void GiveBack(SqliteSession session)
    {
        _idle.Enqueue(session);

        // A session given back after Dispose drained the queue is closed here; one given back before is closed by Dispose.
        if (_disposed)
        {
            DrainIdle();
        }
    }

    private void DrainIdle()
    {
        while (_idle.TryDequeue(out var session))
        {
            session.Dispose();
        }
    }
}
