using IdentityBroker.Pools;
using IdentityBroker.Revocations;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IRevocationStore Revocations =>
        Store.Pools as IRevocationStore ?? throw new AssertionException("The store does not implement IRevocationStore.");

    private IIdentityPoolTagStore IdentityPoolTags =>
        Store.Pools as IIdentityPoolTagStore ?? throw new AssertionException("The store does not implement IIdentityPoolTagStore.");

    private static Revocation NewRevocation(string poolId, DateTimeOffset createdAt, string? identityId = null, string? provider = null) => new()
    {
        RevocationId = Guid.NewGuid().ToString("D"),
        IdentityPoolId = poolId,
        IdentityId = identityId,
        Provider = provider,
        Subject = provider is null ? null : "subject-1",
        IssuedBefore = createdAt.AddSeconds(-5),
        CreatedAt = createdAt,
    };

    [Test]
    public async Task Revocations_round_trip_oldest_first_survive_a_reopen_and_are_deleted_once()
    {
        var poolId = NewPoolId();
        var newer = NewRevocation(poolId, T0.AddMinutes(1), NewIdentityId(), "accounts.google.com");
        var older = NewRevocation(poolId, T0);
        Assert.That(await Revocations.AddRevocationAsync(newer, None), Is.True);
        Assert.That(await Revocations.AddRevocationAsync(older, None), Is.True);
        Assert.That(await Revocations.AddRevocationAsync(older with { IdentityPoolId = NewPoolId() }, None), Is.False, "an id is stored once");
        await ReopenAsync();

        var listed = await Revocations.ListRevocationsAsync(None);
        Assert.That(listed, Has.Count.EqualTo(2));
        AssertSameDocument(listed[0], older);
        AssertSameDocument(listed[1], newer);

        Assert.That(await Revocations.DeleteRevocationAsync(older.RevocationId, None), Is.True);
        Assert.That(await Revocations.DeleteRevocationAsync(older.RevocationId, None), Is.False);
        Assert.That((await Revocations.ListRevocationsAsync(None)).Select(r => r.RevocationId), Is.EqualTo(new[] { newer.RevocationId }));
    }

    [Test]
    public async Task An_identity_pools_tags_change_atomically_and_survive_a_reopen()
    {
        var pool = MinimalPool() with { IdentityPoolTags = new Dictionary<string, string> { ["team"] = "identity" } };
        await Store.Pools.CreatePoolAsync(pool, None);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => IdentityPoolTags.ChangeIdentityPoolTagsAsync(pool.IdentityPoolId,
            t => new Dictionary<string, string>(t ?? new Dictionary<string, string>()) { [$"k{i}"] = "v" }, None))));
        Assert.That(await IdentityPoolTags.ChangeIdentityPoolTagsAsync(NewPoolId(), t => t, None), Is.False, "no such pool");
        await ReopenAsync();

        var stored = await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None);
        Assert.That(stored!.IdentityPoolTags!.Keys, Is.EquivalentTo(new[] { "team" }.Concat(Enumerable.Range(0, 8).Select(i => $"k{i}"))));
        AssertSameDocument(stored, pool with { IdentityPoolTags = stored.IdentityPoolTags });
    }
}
