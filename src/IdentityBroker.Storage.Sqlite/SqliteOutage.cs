using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// The SQLite failures that are an outage of the store, not a bug or a file that can never work: the caller gets
/// <see cref="StoreUnavailableException"/> (AWS's 503, which SDKs retry) instead of an internal error. A corrupt
/// file, a file that is not a database or a path that cannot be opened stay errors, and stop the start.
/// </summary>
internal static class SqliteOutage
{
    // Primary result codes (https://www.sqlite.org/rescode.html); an extended code keeps its primary in the low byte.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int IoError = 10;
    private const int Full = 13;

    /// <returns>The reason to report (no path, no SQL), or null when the failure is not an outage.</returns>
    public static string? Reason(SqliteException exception) => (exception.SqliteErrorCode & 0xFF) switch
    {
        Busy or Locked => "The SQLite database is locked by another process.",
        IoError => "The SQLite database could not be read or written (disk I/O error).",
        Full => "The disk holding the SQLite database is full.",
        _ => null,
    };
}
