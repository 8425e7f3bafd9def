namespace IdentityBroker.Tests.Storage;

/// <summary>Core is the domain: it knows the store contracts, not a store driver or the web host (shared/DESIGN.md, "Layout").</summary>
public sealed class StoreLayeringTests
{
    [TestCase("Microsoft.AspNetCore")]
    [TestCase("Microsoft.Data.Sqlite")]
    [TestCase("SQLitePCLRaw")]
    [TestCase("StackExchange.Redis")]
    [TestCase("IdentityBroker.Storage")]
    [TestCase("IdentityBroker.Server")]
    public void Core_references_no_assembly_of(string prefix) =>
        Assert.That(
            typeof(BrokerOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name),
            Has.None.StartsWith(prefix));
}
