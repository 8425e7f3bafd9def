using System.Collections.Concurrent;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// Group commit for the single SQLite writer. Callers enqueue their write; one drain loop at a time takes up to
/// <see cref="MaxBatch"/> queued writes, runs them one after the other in one <c>BEGIN IMMEDIATE</c> transaction, each
/// inside its own SAVEPOINT, and commits once. Each caller's task completes only after that COMMIT, so a reply built on
/// it is sent after its write is durable (the same guarantee as one transaction per write). A write that fails is
/// rolled back to its savepoint and fails alone; the others of the batch commit. If the batch itself cannot commit,
/// every write of it fails, and none is kept.
/// </summary>
/// <remarks>
/// Why: with one transaction per write, every new identity paid a thread-pool hand-off through the write lock, the
/// BEGIN/COMMIT statements, the file locks and one WAL append; under 64 concurrent guest GetId calls the writer, not
/// the CPU, was the limit. Writes run in the order they were queued, so a batch is equivalent to running its writes
/// serially, which is what the linking rules (one identity per login) rely on.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The gate is a SemaphoreSlim whose wait handle is never created, so it holds nothing to release; batches queued after the store's Dispose still pass it to fail their writes.")]
internal sealed class SqliteWriteQueue
{
    /// <summary>Bounds how long one batch holds the write lock and how much one failed COMMIT can take down.</summary>
    public const int MaxBatch = 64;

    private readonly ConcurrentQueue<PendingWrite> _pending = new();
    private readonly Func<CancellationToken, Task<SqliteSession>> _openWriter;
    private readonly Func<bool> _isDisposed;
    private readonly SemaphoreSlim _batchGate = new(1, 1);
    private int _draining;

    public SqliteWriteQueue(Func<CancellationToken, Task<SqliteSession>> openWriter, Func<bool> isDisposed)
    {
        _openWriter = openWriter;
        _isDisposed = isDisposed;
    }

    /// <param name="atomic">
    /// The write changes nothing unless it succeeds whole (one statement, or reads then one statement): it runs without a
    /// SAVEPOINT, since SQLite undoes a failed statement by itself. Saves two statements per write (guest GetId).
    /// </param>
    public Task<TResult> EnqueueAsync<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        bool atomic,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var write = new PendingWrite<TState, TResult>(state, work, atomic, cancellationToken);
        _pending.Enqueue(write);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return write.Task;
    }

    /// <summary>Waits for the batch in progress (it commits first), then runs <paramref name="action"/> with no batch running.</summary>
    public void RunExclusive(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _batchGate.Wait();
        try
        {
            action();
        }
        finally
        {
            _batchGate.Release();
        }
    }

    private async Task DrainAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.TryDequeue(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);

                // A write queued after the last TryDequeue but before the flag was cleared found the flag set and
                // started no loop: take it over, unless a new loop has already claimed the flag.
                if (_pending.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await _batchGate.WaitAsync(CancellationToken.None);
            try
            {
                await RunBatchAsync(batch);
            }
            finally
            {
                _batchGate.Release();
            }
        }
    }

    private async Task RunBatchAsync(List<PendingWrite> batch)
    {
        var live = batch.FindAll(w => !w.CancelIfRequested());
        if (live.Count == 0)
        {
            return;
        }

        if (_isDisposed())
        {
            live.ForEach(w => w.Fail(new ObjectDisposedException(nameof(SqliteBrokerStore))));
            return;
        }

        SqliteSession writer;
        try
        {
            writer = await _openWriter(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The drain loop goes on: the next batch tries to open the writer again.
            live.ForEach(w => w.Fail(e));
            return;
        }

        try
        {
            writer.BeginBatch();
            foreach (var write in live)
            {
                if (write.Atomic)
                {
                    if (!await write.RunAsync(writer))
                    {
                        // A failed statement undoes itself; an error that rolled the whole transaction back fails the batch.
                        writer.RequireOpenBatch();
                    }

                    continue;
                }

                writer.Savepoint();
                if (await write.RunAsync(writer))
                {
                    writer.ReleaseSavepoint();
                }
                else
                {
                    // Throws when SQLite has already rolled the whole transaction back (e.g. disk full): then the
                    // batch fails below, as it must, since the writes before this one are gone too.
                    writer.RollbackSavepoint();
                }
            }

            await writer.CommitBatchAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            await writer.EndBatchAsync();
            live.ForEach(w => w.Fail(e));
            return;
        }

        await writer.EndBatchAsync();
        live.ForEach(w => w.Publish());
    }

    /// <summary>One queued write: run inside the batch, then published (or failed) once the batch is over.</summary>
    private abstract class PendingWrite(bool atomic)
    {
        /// <summary>Runs without a SAVEPOINT (see <see cref="EnqueueAsync"/>).</summary>
        public bool Atomic => atomic;

        /// <summary>Cancels the caller's task, before the write ran, if the caller has given up.</summary>
        public abstract bool CancelIfRequested();

        /// <summary>Runs the write; false when it threw (its exception is kept for <see cref="Publish"/>).</summary>
        public abstract Task<bool> RunAsync(SqliteSession writer);

        /// <summary>After the COMMIT: the caller gets its result, or the exception of its own write.</summary>
        public abstract void Publish();

        /// <summary>The batch failed: nothing of it is kept, every caller gets the failure.</summary>
        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<TState, TResult>(
        TState state,
        Func<SqliteSession, TState, CancellationToken, Task<TResult>> work,
        bool atomic,
        CancellationToken cancellationToken) : PendingWrite(atomic)
    {
        // Continuations run on the thread pool, not inline on the drain loop, which must move on to the next batch.
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TResult? _result;
        private Exception? _failure;

        public Task<TResult> Task => _completion.Task;

        public override bool CancelIfRequested() =>
            cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public override async Task<bool> RunAsync(SqliteSession writer)
        {
            try
            {
                _result = await work(writer, state, cancellationToken);
                return true;
            }
            catch (Exception e)
            {
                _failure = e;
                return false;
            }
        }

        public override void Publish()
        {
            if (_failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
