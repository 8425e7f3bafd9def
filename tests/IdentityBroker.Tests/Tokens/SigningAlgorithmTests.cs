using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Tokens;

/// <summary>Broker:Tokens:Algorithm: ES256 signs, the JWKS and discovery follow, and switching keeps older keys published.</summary>
[TestFixture]
public sealed class SigningAlgorithmTests
{
    private const string Issuer = "https://broker.example.com";
    private const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Es256_tokens_carry_ES256_and_verify_with_the_published_keys()
    {
        var options = Options("ES256");
        var keys = await LoadAsync(new MemoryKeyStore(), options);
        var token = new OpenIdTokenIssuer(new BrokerIssuer(options), keys, options, _time).Issue(Pool(), Guest(), [], OpenIdTokenIssuer.DefaultLifetime);

        var jwt = new JsonWebToken(token.Token);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = PoolId + ":unauthenticated",
            IssuerSigningKeys = keys.VerificationKeys,
            ValidAlgorithms = ["ES256"],
            ValidateLifetime = false,
        });
        Assert.Multiple(() =>
        {
            Assert.That(jwt.Alg, Is.EqualTo("ES256"));
            Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        });
    }

    [Test]
    public async Task Jwks_publishes_an_EC_key_and_discovery_lists_ES256()
    {
        var options = Options("ES256");
        var keys = await LoadAsync(new MemoryKeyStore(), options);
        var documents = new DiscoveryDocuments(new BrokerIssuer(options), keys);

        using var jwks = JsonDocument.Parse(documents.JwksJson());
        var key = jwks.RootElement.GetProperty("keys")[0];
        using var discovery = JsonDocument.Parse(documents.OpenIdConfigurationJson());
        Assert.Multiple(() =>
        {
            Assert.That(key.GetProperty("kty").GetString(), Is.EqualTo("EC"));
            Assert.That(key.GetProperty("alg").GetString(), Is.EqualTo("ES256"));
            Assert.That(key.GetProperty("crv").GetString(), Is.EqualTo("P-256"));
            Assert.That(Base64UrlEncoder.DecodeBytes(key.GetProperty("x").GetString()), Has.Length.EqualTo(32));
            Assert.That(Base64UrlEncoder.DecodeBytes(key.GetProperty("y").GetString()), Has.Length.EqualTo(32));
            Assert.That(key.TryGetProperty("n", out _), Is.False);
            Assert.That(discovery.RootElement.GetProperty("id_token_signing_alg_values_supported")[0].GetString(), Is.EqualTo("ES256"));
        });
    }

    [Test]
    public async Task Switching_from_RS512_to_ES256_signs_with_a_new_key_and_keeps_the_RSA_key_published()
    {
        var store = new MemoryKeyStore();
        var rsa = await LoadAsync(store, Options("RS512"));
        _time.Advance(TimeSpan.FromMinutes(1));
        var ec = await LoadAsync(store, Options("ES256"));

        var published = ec.PublishedKeys.Select(k => (k.Key.KeyId, k.Algorithm)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ec.Current.Algorithm, Is.EqualTo("ES256"));
            Assert.That(published, Does.Contain((rsa.Current.Key.KeyId, "RS512")));
            Assert.That(published, Does.Contain((ec.Current.Key.KeyId, "ES256")));
            Assert.That(store.Count, Is.EqualTo(2));
        });

        // And back: the existing RSA key signs again, no third key is made.
        var back = await LoadAsync(store, Options("RS512"));
        Assert.Multiple(() =>
        {
            Assert.That(back.Current.Key.KeyId, Is.EqualTo(rsa.Current.Key.KeyId));
            Assert.That(store.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void An_unsupported_algorithm_stops_loading_with_the_key_named()
    {
        var ring = new SigningKeyRing(new MemoryKeyStore(), Options("HS256"), _time);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => ring.LoadAsync(CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("Broker:Tokens:Algorithm"));
    }

    private static IOptions<BrokerOptions> Options(string algorithm) =>
        Microsoft.Extensions.Options.Options.Create(new BrokerOptions { Issuer = Issuer, Tokens = new TokenOptions { Algorithm = algorithm } });

    private async Task<SigningKeyRing> LoadAsync(IKeyStore store, IOptions<BrokerOptions> options)
    {
        var ring = new SigningKeyRing(store, options, _time);
        await ring.LoadAsync(CancellationToken.None);
        return ring;
    }

    private static IdentityPool Pool() => new() { IdentityPoolId = PoolId, IdentityPoolName = "p", AllowUnauthenticatedIdentities = true };

    private Identity Guest() => new() { IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", IdentityPoolId = PoolId, CreationDate = _time.GetUtcNow() };

    private sealed class MemoryKeyStore : IKeyStore
    {
        private readonly List<StoredKey> _keys = [];

        public int Count => _keys.Count;

        public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredKey>>([.. _keys.Where(k => k.Purpose == purpose)]);

        public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
        {
            if (_keys.Exists(k => k.KeyId == key.KeyId))
            {
                return Task.FromResult(false);
            }

            _keys.Add(key);
            return Task.FromResult(true);
        }
    }
}
