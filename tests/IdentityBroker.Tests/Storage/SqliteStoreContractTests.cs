using IdentityBroker.Storage.Sqlite;

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

    [OneTimeTearDown]
    public void DeleteFiles()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
