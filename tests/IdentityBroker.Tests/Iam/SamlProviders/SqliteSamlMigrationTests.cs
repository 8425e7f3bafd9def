using IdentityBroker.Iam;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Tests.Iam.SamlProviders;

/// <summary>A database written before the SAML migration gains the SAML tables when a newer broker opens it.</summary>
[TestFixture]
public sealed class SqliteSamlMigrationTests
{
    private static readonly HashSet<string> VersionOneTables = new(StringComparer.Ordinal)
    {
        "pools", "identities", "logins", "keys", "iam_roles", "oidc_providers", "schema_version", "sqlite_sequence",
    };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-saml-migration-{Guid.NewGuid():N}");

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task An_older_database_is_upgraded_and_keeps_its_data()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "broker.db");
        using (var store = new SqliteBrokerStore(path))
        {
            await store.CountPoolsAsync(CancellationToken.None);
        }

        // Roll the file back to schema version 1, as an older broker left it: every table a later migration made goes
        // (foreign keys are not enforced on this plain connection, so the order does not matter).
        var later = (await TablesAsync(path)).Where(table => !VersionOneTables.Contains(table));
        await ExecuteAsync(path, string.Concat(later.Select(table => $"DROP TABLE {table}; ")) + "DELETE FROM schema_version WHERE version > 1;");

        using var upgraded = new SqliteBrokerStore(path);
        var provider = new SamlProvider { Arn = "arn:aws:iam::000000000000:saml-provider/P", Name = "P", MetadataDocument = "<m/>", Uuid = "UUID0000000000000000000000" };
        Assert.That(await upgraded.TryCreateSamlProviderAsync(provider, CancellationToken.None), Is.True);
        Assert.That((await upgraded.GetSamlProviderAsync(provider.Arn, CancellationToken.None))!.Name, Is.EqualTo("P"));
    }

    private static async Task<List<string>> TablesAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
