using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// A relative <c>Broker:DataDirectory</c> is relative to the directory the broker was started from, as for any
/// command-line tool, not to the content root. Resolved once, before any file is opened, for both options that read the
/// key (the broker's: admin key, demo pool id, start-up log; the SQLite store's: <c>broker.db</c>), so all name the same
/// full path.
/// </summary>
internal sealed class DataDirectoryResolution(string currentDirectory)
    : IPostConfigureOptions<BrokerOptions>, IPostConfigureOptions<SqliteStoreOptions>
{
    public void PostConfigure(string? name, BrokerOptions options) => options.DataDirectory = Resolve(options.DataDirectory);

    public void PostConfigure(string? name, SqliteStoreOptions options) => options.DataDirectory = Resolve(options.DataDirectory);

    // An empty value is left for the store to refuse with a message naming the key.
    private string Resolve(string directory) =>
        string.IsNullOrWhiteSpace(directory) ? directory : Path.GetFullPath(directory, currentDirectory);
}
