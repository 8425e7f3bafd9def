using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// A relative <c>Broker:DataDirectory</c> is relative to the directory the broker was started from, as for any
/// command-line tool, not to the content root. Resolved once, before any file is opened, so the store, the admin key,
/// the demo pool id and the start-up log all name the same full path.
/// </summary>
internal sealed class DataDirectoryResolution(string currentDirectory) : IPostConfigureOptions<BrokerOptions>
{
    public void PostConfigure(string? name, BrokerOptions options)
    {
        // An empty value is left for the store to refuse with a message naming the key.
        if (!string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            options.DataDirectory = Path.GetFullPath(options.DataDirectory, currentDirectory);
        }
    }
}
