using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Storage.Sqlite;

public static class SqliteStoreRegistration
{
    /// <summary>SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE, 0x7fff0000 bytes): a larger mmap_size is cut to it silently.</summary>
    private const int MaxMemoryMapMegabytes = 2047;

    /// <summary>The embedded SQLite store behind every store contract, its file in <c>Broker:DataDirectory</c>.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SqliteStoreOptions>().Bind(configuration.GetSection(SqliteStoreOptions.SectionName));
        services.AddSingleton(sp => Open(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        services.AddStoreContracts<SqliteBrokerStore>();
        services.AddSingleton<Limits.IRateCounter, Limits.LocalRateCounter>(); // one node: the counters live in this process
        return services;
    }

    private static SqliteBrokerStore Open(SqliteStoreOptions options)
    {
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // A local store that cannot work stops the start at once (unlike an outage, waiting would not help).
            throw new InvalidOperationException($"Broker:DataDirectory '{options.DataDirectory}' cannot be used for the SQLite store: {e.Message}", e);
        }

        if (options.SqliteMemoryMapMegabytes is < 0 or > MaxMemoryMapMegabytes)
        {
            throw new InvalidOperationException(
                $"Broker:SqliteMemoryMapMegabytes must be a whole number of megabytes from 0 (off) to {MaxMemoryMapMegabytes}; it is {options.SqliteMemoryMapMegabytes}.");
        }

        return new SqliteBrokerStore(
            Path.Combine(options.DataDirectory, SqliteStoreOptions.FileName), options.BusyTimeout, options.SqliteMemoryMapMegabytes * 1048576L);
    }
}
