using IdentityBroker.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Tests.Storage;

[TestFixture]
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ib-sqlite-contract-{Guid.NewGuid():N}");
    private string _path = "";

    protected override ContractStore CreateStore()
    {
        _path = Path.Combine(_root, $"{Guid.NewGuid():N}", "broker.db");
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        return ContractStore.Of(new SqliteBrokerStore(_path));
    }

    protected override ContractStore ReopenStore() => ContractStore.Of(new SqliteBrokerStore(_path));

    /// <summary>A trigger refuses moving records: it fires inside the merge's transaction, after the logins moved.</summary>
    protected override async Task BreakSyncDatasetMovesAsync(string poolId, string identityId)
    {
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TRIGGER break_sync_moves BEFORE UPDATE OF identity_id ON sync_records BEGIN SELECT RAISE(ABORT, 'injected fault'); END;";
        await command.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public void DeleteFiles()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
