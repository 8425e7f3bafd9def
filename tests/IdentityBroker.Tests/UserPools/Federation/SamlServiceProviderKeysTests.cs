using System.Security.Cryptography.X509Certificates;
using IdentityBroker.Tests.Sts;
using IdentityBroker.UserPools.Federation.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// The broker's SAML service-provider keys: one per purpose shared by every replica through the store, 10-year
/// certificates renewed yearly (the newest signs, every unexpired one still decrypts), as Cognito's user pool certificates.
/// </summary>
[TestFixture]
public sealed class SamlServiceProviderKeysTests
{
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

        var signing = await first.SigningAsync(CancellationToken.None);

        Assert.That((await second.SigningAsync(CancellationToken.None)).Thumbprint, Is.EqualTo(signing.Thumbprint));
        Assert.That((await first.EncryptionAsync(CancellationToken.None)).Thumbprint, Is.Not.EqualTo(signing.Thumbprint));
        Assert.That(signing.HasPrivateKey, Is.True);
        Assert.That(signing.NotAfter.ToUniversalTime(), Is.EqualTo(_time.GetUtcNow().UtcDateTime.AddDays(3652)).Within(TimeSpan.FromSeconds(1)));
        Assert.That(signing.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
    }

    [Test]
    public async Task After_a_year_a_new_certificate_signs_and_the_old_one_still_decrypts()
    {
        var keys = new SamlServiceProviderKeys(_store, _time);
        var oldSigning = await keys.SigningAsync(CancellationToken.None);
        var oldEncryption = await keys.EncryptionAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(366));
        var newSigning = await keys.SigningAsync(CancellationToken.None);
        var encryption = await new SamlServiceProviderKeys(_store, _time).AllAsync(SamlServiceProviderKeys.EncryptionPurpose, CancellationToken.None);

        Assert.That(newSigning.Thumbprint, Is.Not.EqualTo(oldSigning.Thumbprint));
        Assert.That(encryption.Select(c => c.Thumbprint).ToList(), Has.Count.EqualTo(2).And.Contains(oldEncryption.Thumbprint));
        Assert.That(encryption[0].Thumbprint, Is.Not.EqualTo(oldEncryption.Thumbprint), "the newest comes first and is the one published");
        Assert.That(await _store.GetKeysAsync(SamlServiceProviderKeys.SigningPurpose, CancellationToken.None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Within_the_year_no_new_key_is_made()
    {
        var keys = new SamlServiceProviderKeys(_store, _time);
        var signing = await keys.SigningAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(300));

        Assert.That((await keys.SigningAsync(CancellationToken.None)).Thumbprint, Is.EqualTo(signing.Thumbprint));
        Assert.That(await _store.GetKeysAsync(SamlServiceProviderKeys.SigningPurpose, CancellationToken.None), Has.Count.EqualTo(1));
    }
}
