namespace IdentityBroker.Storage.Sqlite;

/// <summary>The SQLite store's settings: its file lives in <c>Broker:DataDirectory</c> (section <c>Broker</c>).</summary>
public sealed class SqliteStoreOptions
{
    public const string SectionName = "Broker";

    public const string FileName = "broker.db";

    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// The default of <see cref="SqliteMemoryMapMegabytes"/>: off. At a million identities a 256 MB map saved a few µs of
    /// CPU per GetId but its touched pages took the broker's resident memory from ≈ 200 to 421 MB (docs/storage.md).
    /// </summary>
    public const int DefaultMemoryMapMegabytes = 0;

    /// <summary>
    /// <c>Broker:SqliteMemoryMapMegabytes</c>: how much of the database file SQLite reads through a memory map
    /// (<c>PRAGMA mmap_size</c>) instead of copying pages into each connection's own 2 MB page cache. The map is shared by
    /// every connection of the process and its pages are the kernel's file cache, so a large identity table's working set
    /// is read without a system call per page (docs/storage.md, "Identities at scale"). Pages count in the broker's
    /// resident memory once touched (as file pages the kernel can drop), up to the map's size. 0 (the default) turns it off.
    /// </summary>
    public int SqliteMemoryMapMegabytes { get; set; } = DefaultMemoryMapMegabytes;

    /// <summary>
    /// How long a write waits for another process (a backup tool, an operator's <c>sqlite3</c>) to release the file's
    /// write lock before the store counts as unavailable. Not configuration: tests shorten it.
    /// </summary>
    internal TimeSpan BusyTimeout { get; set; } = SqliteBrokerStore.DefaultBusyTimeout;
}
