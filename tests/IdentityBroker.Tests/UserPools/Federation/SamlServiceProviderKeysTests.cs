using System.Security.Cryptography.X509Certificates;
using IdentityBroker.Tests.Sts;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// A user pool's SAML service-provider keys: one pair per use shared by every replica through the store, 10-year
/// certificates renewed yearly (the newest signs, every unexpired one still decrypts), as Cognito's user pool certificates.
/// </summary>
[TestFixture]
public sealed class SamlServiceProviderKeysTests
{
    private static readonly UserPool Pool = new("us-east-1_keys", "keys", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_keys",
        new UserPoolSettings(new PasswordPolicy(), UserPoolSettings.DeletionProtectionInactive, "OFF", [], null), null, null,
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private FakeTimeProvider _time = null!;
    private InMemoryKeyStore _store = null!;

    /// <summary>NUnit shares one fixture instance across its tests: each starts with an empty store and the same clock.</summary>
    [SetUp]
    public void NewStore()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        _store = new InMemoryKeyStore();
    }

    [Test]
    public async Task Two_replicas_sharing_a_store_sign_with_the_same_certificate_and_encrypt_to_another()
    {
        var first = new SamlServiceProviderKeys(_store, _time);
        var second = new SamlServiceProviderKeys(_store, _time);

        var signing = await first.SigningAsync(Pool, CancellationToken.None);

        Assert.That((await second.SigningAsync(Pool, CancellationToken.None)).Thumbprint, Is.EqualTo(signing.Thumbprint));
        Assert.That((await first.EncryptionAsync(Pool, CancellationToken.None)).Thumbprint, Is.Not.EqualTo(signing.Thumbprint));
        Assert.That(signing.HasPrivateKey, Is.True);
        Assert.That(signing.NotAfter.ToUniversalTime(), Is.EqualTo(_time.GetUtcNow().UtcDateTime.AddDays(3652)).Within(TimeSpan.FromSeconds(1)));
        Assert.That(signing.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
    }

    [Test]
    public async Task After_a_year_a_new_certificate_signs_and_the_old_one_still_decrypts()
    {
        var keys = new SamlServiceProviderKeys(_store, _time);
        var oldSigning = await keys.SigningAsync(Pool, CancellationToken.None);
        var oldEncryption = await keys.EncryptionAsync(Pool, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(366));
        var newSigning = await keys.SigningAsync(Pool, CancellationToken.None);
        var encryption = await new SamlServiceProviderKeys(_store, _time).AllAsync(Pool, SamlKeyUse.Encryption, CancellationToken.None);

        Assert.That(newSigning.Thumbprint, Is.Not.EqualTo(oldSigning.Thumbprint));
        Assert.That(encryption.Select(c => c.Thumbprint).ToList(), Has.Count.EqualTo(2).And.Contains(oldEncryption.Thumbprint));
        Assert.That(encryption[0].Thumbprint, Is.Not.EqualTo(oldEncryption.Thumbprint), "the newest comes first and is the one published");
        Assert.That(await _store.GetKeysAsync(SamlServiceProviderKeys.Purpose(Pool.Id, SamlKeyUse.Signing), CancellationToken.None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Within_the_year_no_new_key_is_made()
    {
        var keys = new SamlServiceProviderKeys(_store, _time);
        var signing = await keys.SigningAsync(Pool, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(300));

        Assert.That((await keys.SigningAsync(Pool, CancellationToken.None)).Thumbprint, Is.EqualTo(signing.Thumbprint));
        Assert.That(await _store.GetKeysAsync(SamlServiceProviderKeys.Purpose(Pool.Id, SamlKeyUse.Signing), CancellationToken.None), Has.Count.EqualTo(1));
    }
}
