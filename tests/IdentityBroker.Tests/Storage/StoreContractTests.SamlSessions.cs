using System.Security.Cryptography;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// User-pool SAML on every store: the SAML sign-in sessions single logout finds, the hosted sign-outs it orders, and each
/// pool's own SAML keys (created once whatever the replicas, kept across a reopen, the broker-wide pair of an older
/// broker adopted by the pools that existed before).
/// </summary>
public abstract partial class StoreContractTests
{
    private ISamlSessionStore SamlSessions => Store.SamlSessions ?? throw new AssertionException("The store does not implement ISamlSessionStore.");

    private static SamlSession SessionOf(string pool, string index, string sub = "sub-1", string nameId = "alice@corp.example") =>
        new(pool, "Corp", nameId, index, sub, T0.AddHours(1));

    [Test]
    public async Task Saml_sessions_are_found_by_provider_and_NameID_replaced_by_SessionIndex_and_survive_a_reopen()
    {
        await SamlSessions.RecordSamlSessionAsync(SessionOf("p1", "idx-b"), T0, None);
        await SamlSessions.RecordSamlSessionAsync(SessionOf("p1", "idx-a"), T0, None);
        await SamlSessions.RecordSamlSessionAsync(SessionOf("p1", "idx-a", sub: "sub-2"), T0, None);
        await SamlSessions.RecordSamlSessionAsync(SessionOf("p1", "idx-c", nameId: "bob@corp.example"), T0, None);
        await SamlSessions.RecordSamlSessionAsync(SessionOf("p2", "idx-a"), T0, None);
        await SamlSessions.RecordSamlSessionAsync(SessionOf("p1", string.Empty) with { ProviderName = "Other" }, T0, None);

        await ReopenAsync();
        var found = await SamlSessions.FindSamlSessionsAsync("p1", "Corp", "alice@corp.example", T0.AddMinutes(1), None);

        Assert.That(found, Is.EqualTo(new[] { SessionOf("p1", "idx-a", sub: "sub-2"), SessionOf("p1", "idx-b") }));
        Assert.That(await SamlSessions.FindSamlSessionsAsync("p1", "Other", "alice@corp.example", T0, None),
            Is.EqualTo(new[] { SessionOf("p1", string.Empty) with { ProviderName = "Other" } }), "a session without SessionIndex is kept too");
        Assert.That(await SamlSessions.FindSamlSessionsAsync("p1", "Corp", "alice@corp.example", T0.AddHours(1), None), Is.Empty, "expired");
    }

    [Test]
    public async Task Ending_hosted_sessions_keeps_the_latest_sign_out_until_it_is_no_longer_needed_and_forgets_the_ended_Saml_sessions()
    {
        var a = SessionOf("p1", "idx-a");
        var b = SessionOf("p1", "idx-b");
        await SamlSessions.RecordSamlSessionAsync(a, T0, None);
        await SamlSessions.RecordSamlSessionAsync(b, T0, None);
        Assert.That(await SamlSessions.GetHostedSignOutAsync("p1", "sub-1", T0, None), Is.Null);

        await SamlSessions.EndHostedSessionsAsync("p1", "sub-1", T0.AddMinutes(10), T0.AddMinutes(70), [a], None);
        await SamlSessions.EndHostedSessionsAsync("p1", "sub-1", T0.AddMinutes(5), T0.AddMinutes(65), [], None);
        await ReopenAsync();

        Assert.That(await SamlSessions.GetHostedSignOutAsync("p1", "sub-1", T0.AddMinutes(20), None), Is.EqualTo(T0.AddMinutes(10)),
            "an earlier sign-out never moves the time back");
        Assert.That(await SamlSessions.GetHostedSignOutAsync("p1", "sub-2", T0.AddMinutes(20), None), Is.Null, "another user");
        Assert.That(await SamlSessions.GetHostedSignOutAsync("p2", "sub-1", T0.AddMinutes(20), None), Is.Null, "another pool");
        Assert.That(await SamlSessions.GetHostedSignOutAsync("p1", "sub-1", T0.AddMinutes(71), None), Is.Null, "no longer kept");
        Assert.That(await SamlSessions.FindSamlSessionsAsync("p1", "Corp", "alice@corp.example", T0.AddMinutes(20), None), Is.EqualTo(new[] { b }));
    }

    [Test]
    public async Task Each_user_pool_gets_its_own_Saml_keys_once_for_every_replica_and_keeps_them_across_a_reopen()
    {
        var time = new FakeTimeProvider(T0.AddDays(1));
        var first = NewUserPool("first");
        var second = NewUserPool("second");
        var replicas = Enumerable.Range(0, 4).Select(_ => new SamlServiceProviderKeys(Store.Keys, time)).ToList();

        var signing = await Task.WhenAll(replicas.Select(r => r.SigningAsync(first, None)));
        var encryption = await replicas[0].EncryptionAsync(first, None);
        var other = await replicas[1].SigningAsync(second, None);
        await ReopenAsync();
        var reopened = await new SamlServiceProviderKeys(Store.Keys, time).SigningAsync(first, None);

        Assert.That(signing.Select(c => c.Thumbprint).Distinct(), Has.Exactly(1).Items, "every replica signs with the one stored key");
        Assert.That(encryption.Thumbprint, Is.Not.EqualTo(signing[0].Thumbprint));
        Assert.That(other.Thumbprint, Is.Not.EqualTo(signing[0].Thumbprint).And.Not.EqualTo(encryption.Thumbprint), "another pool, other keys");
        Assert.That(reopened.Thumbprint, Is.EqualTo(signing[0].Thumbprint));
        Assert.That(await Store.Keys.GetKeysAsync(SamlServiceProviderKeys.Purpose(first.Id, SamlKeyUse.Signing), None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Pools_from_before_per_pool_keys_keep_the_broker_wide_Saml_keys_and_newer_pools_get_their_own()
    {
        // What a broker before per-pool keys left in the store: one signing and one encryption pair for every pool.
        var legacySigning = SamlServiceProviderKeys.Create(SamlServiceProviderKeys.LegacySigningPurpose, "userpool-saml-signing:0", SamlKeyUse.Signing, T0);
        var legacyEncryption = SamlServiceProviderKeys.Create(SamlServiceProviderKeys.LegacyEncryptionPurpose, "userpool-saml-encryption:0", SamlKeyUse.Encryption, T0);
        await Store.Keys.TryAddKeyAsync(legacySigning, None);
        await Store.Keys.TryAddKeyAsync(legacyEncryption, None);
        var existing = NewUserPool("existing");
        var time = new FakeTimeProvider(T0.AddDays(2));

        var keys = new SamlServiceProviderKeys(Store.Keys, time);
        var adoptedSigning = await keys.SigningAsync(existing, None);
        var adoptedEncryption = await keys.EncryptionAsync(existing, None);
        time.Advance(TimeSpan.FromMinutes(1));
        var newer = NewUserPool("newer") with { CreationDate = time.GetUtcNow() };
        var fresh = await new SamlServiceProviderKeys(Store.Keys, time).SigningAsync(newer, None);

        Assert.That(Convert.ToBase64String(adoptedSigning.RawData), Is.EqualTo(legacySigning.Material.Split('.')[1]), "the IdPs' registered certificate still works");
        Assert.That(Convert.ToBase64String(adoptedEncryption.RawData), Is.EqualTo(legacyEncryption.Material.Split('.')[1]));
        Assert.That(fresh.Thumbprint, Is.Not.EqualTo(adoptedSigning.Thumbprint));
        Assert.That(CryptographicOperations.FixedTimeEquals(fresh.RawData, adoptedSigning.RawData), Is.False);
    }
}
