namespace IdentityBroker.Storage.Sqlite;

/// <summary>The SQLite store's settings: its file lives in <c>Broker:DataDirectory</c> (section <c>Broker</c>).</summary>
public sealed class SqliteStoreOptions
{
    public const string SectionName = "Broker";

    public const string FileName = "broker.db";

    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// How long a write waits for another process (a backup tool, an operator's <c>sqlite3</c>) to release the file's
    /// write lock before the store counts as unavailable. Not configuration: tests shorten it.
    /// </summary>
    internal TimeSpan BusyTimeout { get; set; } = SqliteBrokerStore.DefaultBusyTimeout;
}
