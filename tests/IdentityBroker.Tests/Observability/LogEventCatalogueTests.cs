using System.Reflection;
using System.Text.RegularExpressions;
using IdentityBroker.Observability;
using IdentityBroker.Server;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Tests.Observability;

/// <summary>One catalogue of log event ids (<see cref="LogEvents"/>): unique, and the only source of the ids the broker logs with.</summary>
[TestFixture]
public sealed partial class LogEventCatalogueTests
{
    private static readonly Assembly[] BrokerAssemblies =
        [typeof(LogEvents).Assembly, typeof(BrokerApp).Assembly, typeof(SqliteStoreOptions).Assembly, typeof(RedisStoreOptions).Assembly];

    [Test]
    public void No_two_events_in_the_catalogue_share_an_id()
    {
        var duplicates = Catalogue().GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}");
        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void Every_logger_message_uses_an_id_of_the_catalogue_once()
    {
        var catalogued = Catalogue().Select(e => e.Id).ToHashSet();
        var used = LoggerMessages().ToList();
        Assert.That(used, Is.Not.Empty, "the broker logs through [LoggerMessage] methods");
        Assert.Multiple(() =>
        {
            Assert.That(used.Where(m => !catalogued.Contains(m.Id)).Select(m => $"{m.Method}: {m.Id}"), Is.Empty, "ids outside the catalogue");
            Assert.That(used.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}"),
                Is.Empty, "two log messages with one id");
        });
    }

    [Test]
    public void Every_catalogued_id_is_logged_somewhere()
    {
        var used = LoggerMessages().Select(m => m.Id).ToHashSet();
        Assert.That(Catalogue().Where(e => !used.Contains(e.Id)).Select(e => e.Name), Is.Empty, "a catalogue entry nothing logs is stale");
    }

    [Test]
    public void The_sources_name_event_ids_by_their_catalogue_constant()
    {
        var root = RepositoryRoot();
        var literal = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Where(l => LiteralEventId().IsMatch(l)).Select(l => $"{Path.GetRelativePath(root, f)}: {l.Trim()}"));
        Assert.That(literal, Is.Empty);
    }

    private static IEnumerable<(string Name, int Id)> Catalogue() =>
        typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (f.Name, (int)f.GetRawConstantValue()!));

    private static IEnumerable<(string Method, int Id)> LoggerMessages() =>
        from assembly in BrokerAssemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select ($"{type.FullName}.{method.Name}", attribute.EventId);

    /// <summary>The checkout this test assembly was built from (the folder holding IdentityBroker.sln above the output folder).</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityBroker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The test assembly is not inside the repository checkout.");
    }

    [GeneratedRegex(@"EventId\s*=\s*\d")]
    private static partial Regex LiteralEventId();
}
