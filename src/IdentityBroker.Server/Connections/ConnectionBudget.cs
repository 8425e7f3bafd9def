using System.Globalization;

namespace IdentityBroker.Server.Connections;

/// <summary>
/// How many connections the process's file descriptors allow. Every connection holds one descriptor; the rest of the
/// process needs its own (the runtime maps each loaded assembly, the store, outbound HTTP to identity providers and STS,
/// log and data files), so a reserve is kept for them: 512 plus an eighth of the limit. Without this a flood of idle
/// connections reached the limit, and the process died (tests/IdentityBroker.Tests/Crash/ConnectionFloodTests.cs).
/// </summary>
internal sealed class ConnectionBudget(long? descriptorLimit, long openAtStart)
{
    /// <summary>The derived default never exceeds this, however high the descriptor limit.</summary>
    public const long DefaultCeiling = 10_000;

    private const long FixedReserve = 512;

    /// <summary>RLIMIT_NOFILE's soft limit (the .NET runtime raises it to the hard limit at start); null where unknown.</summary>
    public long? DescriptorLimit { get; } = descriptorLimit;

    public long OpenAtStart { get; } = openAtStart;

    public long? Reserve => DescriptorLimit is { } limit ? FixedReserve + (limit / 8) : null;

    /// <summary>Descriptors left for client connections, plain and upgraded together; null where the limit is unknown.</summary>
    public long? Allowance => DescriptorLimit is { } limit ? Math.Max(0, limit - OpenAtStart - Reserve!.Value) : null;

    public long DefaultMaxConcurrentConnections(long upgradedConnections) =>
        Allowance is { } allowance ? Math.Min(DefaultCeiling, allowance - upgradedConnections) : DefaultCeiling;

    public long MaxConcurrentConnections(HttpOptions options) =>
        options.MaxConcurrentConnections ?? DefaultMaxConcurrentConnections(options.MaxConcurrentUpgradedConnections);

    /// <summary>Reads this process's limit and open descriptors (Linux: /proc/self); elsewhere the limit is unknown.</summary>
    public static ConnectionBudget OfThisProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new ConnectionBudget(null, 0);
        }

        try
        {
            var limit = SoftOpenFilesLimit(File.ReadAllText("/proc/self/limits"));
            var open = Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
            return new ConnectionBudget(limit, open);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A /proc that cannot be read (a locked-down sandbox): the limit is unknown, the fixed default applies.
            return new ConnectionBudget(null, 0);
        }
    }

    /// <summary>The soft value of proc(5)'s "Max open files" line; null when it is absent or "unlimited".</summary>
    internal static long? SoftOpenFilesLimit(string procLimits)
    {
        const string Name = "Max open files";
        foreach (var line in procLimits.Split('\n'))
        {
            if (!line.StartsWith(Name, StringComparison.Ordinal))
            {
                continue;
            }

            var soft = line[Name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        return null;
    }
}
