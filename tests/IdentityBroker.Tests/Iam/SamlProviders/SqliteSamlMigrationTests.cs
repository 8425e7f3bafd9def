using IdentityBroker.Iam;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Tests.Iam.SamlProviders;

/// <summary>A database written before the SAML migration gains the SAML tables when a newer broker opens it.</summary>
[TestFixture]
public sealed class SqliteSamlMigrationTests
{
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

        // Roll the file back to schema version 1, as an older broker left it.
        // Later migrations' tables go first, children before the tables they reference.
        await ExecuteAsync(path, "DROP TABLE user_pool_group_members; DROP TABLE user_pool_groups; DROP TABLE user_keys; DROP TABLE users; "
            + "DROP TABLE user_pool_sessions; DROP TABLE user_pool_codes; DROP TABLE user_pool_clients; DROP TABLE user_pools; "
            + "DROP TABLE saml_assertion_uses; DROP TABLE saml_providers; DELETE FROM schema_version WHERE version > 1;");

        using var upgraded = new SqliteBrokerStore(path);
        var provider = new SamlProvider { Arn = "arn:aws:iam::000000000000:saml-provider/P", Name = "P", MetadataDocument = "<m/>", Uuid = "UUID0000000000000000000000" };
        Assert.That(await upgraded.TryCreateSamlProviderAsync(provider, CancellationToken.None), Is.True);
        Assert.That((await upgraded.GetSamlProviderAsync(provider.Arn, CancellationToken.None))!.Name, Is.EqualTo("P"));
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
