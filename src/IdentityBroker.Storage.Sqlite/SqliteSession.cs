using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// One open connection with its commands cached by SQL text: a SqliteCommand keeps its compiled statements
/// between executions, so each statement is parsed once per connection. Used by one caller at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private const string SavepointSql = "SAVEPOINT write;";
    private const string ReleaseSql = "RELEASE write;";
    private const string RollbackSql = "ROLLBACK TO write; RELEASE write;";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    private SqliteSession(SqliteConnection connection) => _connection = connection;

    private SqliteTransaction Batch => _transaction ?? throw new InvalidOperationException("No write batch is open.");

    public static async Task<SqliteSession> OpenAsync(string connectionString, string pragmas, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var session = new SqliteSession(connection);
            await session.Command(pragmas).ExecuteNonQueryAsync(cancellationToken);
            return session;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cached command for <paramref name="sql"/>, with no parameters, enlisted in the open transaction.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a <c>BEGIN IMMEDIATE</c> transaction: the write lock is taken up front, so
    /// the transaction never has to upgrade a read lock (the cause of SQLITE_BUSY deadlocks between writers).
    /// </summary>
    public async Task<TResult> InWriteTransactionAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken)
    {
        _transaction = _connection.BeginTransaction(deferred: false);
        try
        {
            var result = await work(this, state, cancellationToken);
            await _transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            // Disposing an uncommitted transaction rolls it back.
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <summary>Opens the <c>BEGIN IMMEDIATE</c> transaction of a group commit (see <see cref="SqliteWriteQueue"/>).</summary>
    public void BeginBatch() => _transaction = _connection.BeginTransaction(deferred: false);

    // The savepoint statements run through the command cache, prepared once per connection: SqliteTransaction's
    // Save/Release/Rollback(name) build, prepare and dispose a new command on every call (Release alone was 15 % of
    // the writer's samples in a guest GetId profile).

    /// <summary>Marks the start of one write of the batch: a SAVEPOINT, so that its failure can be undone alone.</summary>
    public void Savepoint() => RunInBatch(SavepointSql);

    /// <summary>Keeps the current write's changes in the batch.</summary>
    public void ReleaseSavepoint() => RunInBatch(ReleaseSql);

    /// <summary>Undoes the current write's changes only; the writes before it in the batch stay.</summary>
    public void RollbackSavepoint() => RunInBatch(RollbackSql);

    /// <summary>Throws when SQLite has rolled the open batch back (after an I/O error, a full disk, …).</summary>
    public void RequireOpenBatch()
    {
        _ = Batch;
        if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) != 0)
        {
            throw new InvalidOperationException("SQLite rolled the write batch back.");
        }
    }

    /// <summary>Commits the batch: one WAL append (and one lock round) for all its writes.</summary>
    public Task CommitBatchAsync(CancellationToken cancellationToken) => Batch.CommitAsync(cancellationToken);

    /// <summary>Ends the batch; an uncommitted one is rolled back.</summary>
    public async ValueTask EndBatchAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <summary>Runs <paramref name="sql"/> in the open batch; throws when no batch is open.</summary>
    private void RunInBatch(string sql)
    {
        var command = Command(sql);
        command.Transaction = Batch;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _connection.Dispose();
    }
}
