using System.Diagnostics;
using IdentityBroker.Observability;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file, durable, for a single broker node. Writes go through one connection,
/// queued in-process and committed in groups (<see cref="SqliteWriteQueue"/>: one <c>BEGIN IMMEDIATE</c> transaction
/// per batch, a SAVEPOINT per write, each caller answered after the COMMIT), so writers never fail with SQLITE_BUSY;
/// reads use a small pool of read-only connections and run alongside writes (WAL).
/// </summary>
public sealed partial class SqliteBrokerStore : IPoolStore, IIdentityStore, IKeyStore, IIamStore, IDisposable
{
    // WAL + synchronous=NORMAL: a commit is appended to the WAL before it is acknowledged, and that write reaches
    // the OS before COMMIT returns, so a crash of the broker process loses no acknowledged write. Only an OS crash
    // or power loss can roll back the last commits (NORMAL skips the fsync per commit; FULL would add it).
    // busy_timeout covers other processes (e.g. a backup tool) holding the file; in-process writers never contend.
    // Past it the write fails as an outage (SqliteOutage). Microsoft.Data.Sqlite retries a busy statement on its own
    // until the connection's Default Timeout (30 s unless set), so that is set to the same bound, in whole seconds.
    internal static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// PRAGMA wal_autocheckpoint of the writer, in pages (16 MB of 4 KB pages; SQLite's default is 1,000). A new identity
    /// writes a random leaf of the <c>id</c> index, so a 1,000-page WAL held mostly distinct pages, each copied back into
    /// the file at every checkpoint; with 4,000, a hot page is copied once per checkpoint for several commits
    /// (docs/storage.md, "Durability": what this means for a power loss).
    /// </summary>
    internal const int WalAutoCheckpointPages = 4000;

    /// <summary>This store's <c>db.system.name</c> on <see cref="StoreMetrics"/>.</summary>
    private const string MetricsSystem = "sqlite";

    private readonly string _writerPragmas;
    private readonly string _writerConnectionString;
    private readonly SqliteWriteQueue _writes;
    private readonly SqliteReaderPool _readers;
    private readonly SqliteReadCache _reads = new();

    /// <summary>The read cache's generation: which writes empty it (tests).</summary>
    internal long ReadGeneration => _reads.Generation;
    private SqliteSession? _writer;
    private volatile bool _ready;
    private volatile bool _disposed;

    /// <param name="databasePath">The database file; created with its schema on first use.</param>
    public SqliteBrokerStore(string databasePath)
        : this(databasePath, DefaultBusyTimeout)
    {
    }

    /// <param name="memoryMapBytes">PRAGMA mmap_size of every connection (<see cref="SqliteStoreOptions.SqliteMemoryMapMegabytes"/>).</param>
    internal SqliteBrokerStore(
        string databasePath, TimeSpan busyTimeout, long memoryMapBytes = SqliteStoreOptions.DefaultMemoryMapMegabytes * 1048576L)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentOutOfRangeException.ThrowIfNegative(memoryMapBytes);
        DatabasePath = Path.GetFullPath(databasePath);
        var mmap = FormattableString.Invariant($"PRAGMA mmap_size = {memoryMapBytes};");
        _writerPragmas = FormattableString.Invariant(
            $"PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = {WalAutoCheckpointPages}; {mmap}");

        // Pooling is off because the store keeps its own connections open for its whole life; closing them on
        // Dispose then really releases the file (tests delete it, a restarted store reopens it).
        var retrySeconds = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        _writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = retrySeconds,
        }.ToString();
        var readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = retrySeconds,
        }.ToString();
        _readers = new SqliteReaderPool(readerConnectionString, Math.Clamp(Environment.ProcessorCount, 2, 8), mmap);
        _writes = new SqliteWriteQueue(OpenWriterAsync, () => _disposed);
    }

    public string DatabasePath { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _readers.Dispose();

        // A batch in flight finishes (and commits) first; later batches see _disposed and fail their writes.
        _writes.RunExclusive(() =>
        {
            _writer?.Dispose();
            _writer = null;
        });
    }

    /// <summary>Runs <paramref name="work"/> in the next group commit; completes after its COMMIT.</summary>
    private Task<TResult> WriteAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken) =>
        WriteAsync(state, work, invalidatesReads: true, atomic: false, cancellationToken);

    /// <summary>
    /// A new identity without logins: no cached read serves identities (<see cref="SqliteReadCache"/> is untouched), and
    /// the write runs without a SAVEPOINT (<see cref="SqliteWriteQueue.EnqueueAsync"/>), as <paramref name="work"/>
    /// changes nothing unless its one insert succeeds.
    /// </summary>
    private Task<TResult> WriteNewGuestAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken) =>
        WriteAsync(state, work, invalidatesReads: false, atomic: true, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{TState, TResult}(TState, Func{SqliteSession, TState, CancellationToken, Task{TResult}}, CancellationToken)"/>,
    /// for writes to tables no cached read serves (the audit trail): they leave <see cref="SqliteReadCache"/> as it is, so
    /// that one audit record per call does not empty it on every call.
    /// </summary>
    private Task<TResult> WriteUncachedAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken) =>
        WriteAsync(state, work, invalidatesReads: false, atomic: false, cancellationToken);

    private async Task<TResult> WriteAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        bool invalidatesReads,
        bool atomic,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await _writes.EnqueueAsync(state, work, atomic, cancellationToken);
        }
        catch (SqliteException e) when (SqliteOutage.Reason(e) is { } reason)
        {
            throw new StoreUnavailableException(reason, e);
        }
        finally
        {
            StoreMetrics.Record(MetricsSystem, started);

            // After the commit and before the caller hears of it: every session read before this write stops being served.
            if (invalidatesReads)
            {
                _reads.Invalidate();
            }
        }
    }

    /// <summary><paramref name="read"/>, or its answer from <see cref="SqliteReadCache"/> while no write has happened since.</summary>
    private async Task<T?> CachedReadAsync<T>(string kind, string userPoolId, string key, Func<Task<T?>> read)
        where T : class
    {
        var generation = _reads.Generation;
        if (_reads.TryFind(kind, userPoolId, key, generation, out var cached))
        {
            return (T?)cached;
        }

        var value = await read().ConfigureAwait(false);
        _reads.Add(kind, userPoolId, key, value, generation);
        return value;
    }

    private async Task<TResult> ReadAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_ready)
        {
            // The read-only connections need the file, the WAL mode and the schema the writer creates.
            await WriteAsync(0, static (_, _, _) => Task.FromResult(0), cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return await _readers.ReadAsync(state, work, cancellationToken);
        }
        catch (SqliteException e) when (SqliteOutage.Reason(e) is { } reason)
        {
            throw new StoreUnavailableException(reason, e);
        }
        finally
        {
            StoreMetrics.Record(MetricsSystem, started);
        }
    }

    /// <summary>PRAGMA mmap_size as a reader connection has it (tests: the setting reaches the connections that read).</summary>
    internal Task<long> ReaderMemoryMapBytesAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static async (s, _, ct) => (long)(await s.Command("PRAGMA mmap_size;").ExecuteScalarAsync(ct))!, cancellationToken);

    /// <summary>Called by the write queue only, from its one running batch.</summary>
    private async Task<SqliteSession> OpenWriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is not null)
        {
            return _writer;
        }

        CreateOwnerOnlyFile(DatabasePath);
        var writer = await SqliteSession.OpenAsync(_writerConnectionString, _writerPragmas, cancellationToken);
        try
        {
            await RequireWalAsync(writer, cancellationToken);
            await SqliteSchema.EnsureAsync(writer, cancellationToken);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        _writer = writer;
        _ready = true;
        return writer;
    }

    /// <summary>
    /// The file holds the broker's signing and session-token keys: create it readable by the broker's user only.
    /// SQLite gives the -wal and -shm files the mode of the database file. An existing file keeps its mode.
    /// </summary>
    private static void CreateOwnerOnlyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            // An empty file is a valid empty SQLite database.
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by someone else in between: theirs stands.
        }
    }

    // Instants are stored as UTC ticks: exact, and ordered like the instants themselves.
    private static long ToTicks(DateTimeOffset instant) => instant.UtcTicks;

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private async Task RequireWalAsync(SqliteSession writer, CancellationToken cancellationToken)
    {
        // journal_mode answers the mode in force: a file system without shared memory support stays in another mode,
        // where readers and the writer would block each other; fail at start rather than run slowly.
        var mode = await writer.Command("PRAGMA journal_mode;").ExecuteScalarAsync(cancellationToken) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite could not enable WAL journal mode for '{DatabasePath}' (mode: {mode}).");
        }
    }
}
