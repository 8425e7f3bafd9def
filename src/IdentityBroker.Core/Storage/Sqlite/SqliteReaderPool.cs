namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// A few read-only connections kept open. In WAL mode readers do not block the writer or each other, so reads run
/// in parallel with writes; the pool bounds how many connections (and statement caches) exist.
/// </summary>
internal sealed class SqliteReaderPool : IDisposable
{
    private const string Pragmas = "PRAGMA busy_timeout = 5000;";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<SqliteSession> _idle = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public SqliteReaderPool(string connectionString, int size)
    {
        _connectionString = connectionString;
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
            session = TakeIdle() ?? await SqliteSession.OpenAsync(_connectionString, Pragmas, cancellationToken);
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
        lock (_gate)
        {
            _disposed = true;
            while (_idle.TryPop(out var session))
            {
                session.Dispose();
            }
        }
    }

    private SqliteSession? TakeIdle()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _idle.TryPop(out var session) ? session : null;
        }
    }

    private void GiveBack(SqliteSession session)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _idle.Push(session);
                return;
            }
        }

        session.Dispose();
    }
}
