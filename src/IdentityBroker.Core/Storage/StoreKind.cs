namespace IdentityBroker.Storage;

/// <summary><c>Broker:Store</c>: which store the broker keeps its state in.</summary>
public enum StoreKind
{
    /// <summary>One SQLite file in <c>Broker:DataDirectory</c>: embedded, one node.</summary>
    Sqlite,

    /// <summary>Redis (standalone, Sentinel or Cluster): shared by many stateless replicas.</summary>
    Redis,
}
