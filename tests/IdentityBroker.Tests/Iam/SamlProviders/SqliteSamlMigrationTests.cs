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

        // The file as a broker of schema version 1 left it: its one migration, recorded.
        await ExecuteAsync(path, "CREATE TABLE schema_version (version INTEGER NOT NULL); "
            + SqliteSchema.Migration(1) + " INSERT INTO schema_version (version) VALUES (1);");
        Assert.That((await TablesAsync(path)).Order(StringComparer.Ordinal), Is.EqualTo(VersionOneTables.Order(StringComparer.Ordinal)));

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
