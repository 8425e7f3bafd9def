using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Storage;

/// <summary>Broker:SqliteMemoryMapMegabytes: the memory map reaches the connections that read, and a value SQLite would not honour stops the start.</summary>
public sealed class SqliteMemoryMapTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"ib-sqlite-mmap-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase(null, 0L)]
    [TestCase("256", 256L * 1048576)]
    [TestCase("64", 64L * 1048576)]
    public async Task The_configured_memory_map_is_what_each_reader_connection_uses(string? megabytes, long expectedBytes)
    {
        using var services = Services(megabytes);
        var store = services.GetRequiredService<SqliteBrokerStore>();

        // Reads at once open more than one of the pool's connections: each must have the map.
        var sizes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.ReaderMemoryMapBytesAsync(CancellationToken.None)));

        Assert.That(sizes, Is.All.EqualTo(expectedBytes));
    }

    [TestCase("-1")]
    [TestCase("2048")]
    public void A_memory_map_SQLite_would_not_honour_stops_the_start_naming_the_key(string megabytes)
    {
        using var services = Services(megabytes);

        var refused = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<SqliteBrokerStore>());

        Assert.That(refused!.Message, Does.Contain("Broker:SqliteMemoryMapMegabytes").And.Contain(megabytes));
    }

    private ServiceProvider Services(string? megabytes)
    {
        var settings = new Dictionary<string, string?> { ["Broker:DataDirectory"] = _directory };
        if (megabytes is not null)
        {
            settings["Broker:SqliteMemoryMapMegabytes"] = megabytes;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSqliteStore(configuration).BuildServiceProvider();
    }
}
