using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Pools;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// The behaviour every store must have. An implementation's fixture derives from this class and says how to make
/// a store over empty storage and how to reopen that storage; every test then runs against it.
/// </summary>
public abstract partial class StoreContractTests
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Comparable = new();

    protected ContractStore Store { get; private set; } = null!;

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>A new store over new, empty storage.</summary>
    protected abstract ContractStore CreateStore();

    /// <summary>A new store over the storage of the last <see cref="CreateStore"/>, whose store is already disposed.</summary>
    protected abstract ContractStore ReopenStore();

    [SetUp]
    public void CreateStoreForTest() => Store = CreateStore();

    [TearDown]
    public async Task DisposeStoreAfterTest() => await Store.DisposeAsync();

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = ReopenStore();
    }

    protected static string NewPoolId() => $"us-east-1:{Guid.NewGuid()}";

    protected static string NewIdentityId() => $"us-east-1:{Guid.NewGuid()}";

    protected static IdentityPool MinimalPool(string? poolId = null, string name = "pool") => new()
    {
        IdentityPoolId = poolId ?? NewPoolId(),
        IdentityPoolName = name,
        AllowUnauthenticatedIdentities = true,
        CreationDate = T0,
    };

    protected async Task<IdentityPool> CreatePoolAsync(string? poolId = null)
    {
        var pool = MinimalPool(poolId);
        await Store.Pools.CreatePoolAsync(pool, None);
        return pool;
    }

    protected static Identity Candidate(string poolId, DateTimeOffset? at = null) => new()
    {
        IdentityId = NewIdentityId(),
        IdentityPoolId = poolId,
        CreationDate = at ?? T0,
        LastModifiedDate = at ?? T0,
    };

    protected static LoginKey Google(string subject) => new("accounts.google.com", subject);

    protected static LoginKey Facebook(string subject) => new("graph.facebook.com", subject);

    protected static LoginKey Oidc(string subject) => new("login.example.com", subject);

    protected async Task<Identity> CreateIdentityAsync(string poolId, params LoginKey[] logins)
    {
        var identity = Candidate(poolId) with { Logins = logins };
        await Store.Identities.CreateIdentityAsync(identity, None);
        return identity;
    }

    /// <summary>Deep comparison of records holding lists and dictionaries (record equality compares those by reference).</summary>
    protected static void AssertSameDocument<T>(T? actual, T expected)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.That(JsonSerializer.Serialize(actual, Comparable), Is.EqualTo(JsonSerializer.Serialize(expected, Comparable)));
    }

    protected static void AssertSameIdentity(Identity? actual, Identity expected)
    {
        Assert.That(actual, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual!.IdentityId, Is.EqualTo(expected.IdentityId));
            Assert.That(actual.IdentityPoolId, Is.EqualTo(expected.IdentityPoolId));
            Assert.That(actual.Logins, Is.EquivalentTo(expected.Logins));
            Assert.That(actual.CreationDate, Is.EqualTo(expected.CreationDate));
            Assert.That(actual.LastModifiedDate, Is.EqualTo(expected.LastModifiedDate));
            Assert.That(actual.Disabled, Is.EqualTo(expected.Disabled));
        }
    }
}
