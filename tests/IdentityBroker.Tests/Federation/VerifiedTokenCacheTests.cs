using IdentityBroker.Federation;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Observability;
using IdentityBroker.Tests.Sts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Federation;

/// <summary>
/// Decision 3 of issue 19: the verified-token cache remembers only that exactly these bytes were verified by this key set,
/// keyed by the SHA-256 of the whole token, bounded, until the token's exp; every other check of the reader still runs.
/// Hits and misses are read from the cache's own counter (identitybroker.verified_token_cache).
/// </summary>
[TestFixture]
public sealed class VerifiedTokenCacheTests
{
    private const string ClientId = "client-1";

    private readonly StsFixture _f = new();
    private ServiceProvider _services = null!;
    private MetricCollector<long> _lookups = null!;
    private IssuerKeys _keys = null!;

    [SetUp]
    public void SetUp()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _lookups = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), BrokerMetrics.MeterName,
            BrokerMetrics.VerifiedTokenCacheName);
        _keys = KeysWith(StsFixture.SharedThirdPartyKey);
    }

    [TearDown]
    public void TearDown()
    {
        _lookups.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task The_same_token_is_verified_once_and_then_served_from_the_cache()
    {
        var reader = Reader(size: 100);
        var token = Token();

        var first = await ReadAsync(reader, token);
        var second = await ReadAsync(reader, token);

        Assert.Multiple(() =>
        {
            Assert.That(first.Token, Is.Not.Null);
            Assert.That(second.Token, Is.Not.Null);
            Assert.That(Counts(), Is.EqualTo((Hits: 1, Misses: 1)));
        });
    }

    [Test]
    public async Task A_token_one_payload_character_different_misses()
    {
        var reader = Reader(size: 100);
        var claims = _f.ThirdPartyClaims();
        var token = _f.Sign(claims, StsFixture.SharedThirdPartyKey);
        claims["sub"] = "user-43";
        var other = _f.Sign(claims, StsFixture.SharedThirdPartyKey);
        Assert.That(other.Split('.')[1], Is.Not.EqualTo(token.Split('.')[1]));

        await ReadAsync(reader, token);
        var read = await ReadAsync(reader, other);

        Assert.Multiple(() =>
        {
            Assert.That(read.Token?.Subject, Is.EqualTo("user-43"));
            Assert.That(Counts(), Is.EqualTo((Hits: 0, Misses: 2)));
        });
    }

    [Test]
    public async Task A_forged_signature_on_a_cached_header_and_payload_is_not_served_from_the_cache()
    {
        var reader = Reader(size: 100);
        var token = Token();
        await ReadAsync(reader, token);
        var parts = token.Split('.');

        // The same header and payload, signed by a key the issuer does not publish under that kid; then the genuine signature
        // with its first character changed (one byte of the token).
        var forgedKey = new ECDsaSecurityKey(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            KeyId = StsFixture.SharedThirdPartyKey.KeyId,
        };
        var forged = $"{parts[0]}.{parts[1]}.{_f.Sign(_f.ThirdPartyClaims(), forgedKey).Split('.')[2]}";
        var flipped = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";

        var first = await ReadAsync(reader, forged);
        var second = await ReadAsync(reader, flipped);

        Assert.Multiple(() =>
        {
            Assert.That(first.Failure?.Kind, Is.EqualTo(JwtFailureKind.Signature));
            Assert.That(second.Failure?.Kind, Is.EqualTo(JwtFailureKind.Signature));
            Assert.That(Counts(), Is.EqualTo((Hits: 0, Misses: 3)));
        });
    }

    [Test]
    public async Task An_entry_ends_at_the_tokens_exp_even_where_the_rule_allows_leeway()
    {
        var reader = Reader(size: 100);
        var token = Token(lifetimeSeconds: 300);
        await ReadAsync(reader, token);

        _f.Time.Advance(TimeSpan.FromSeconds(299));
        await ReadAsync(reader, token);
        Assert.That(Counts(), Is.EqualTo((Hits: 1, Misses: 1)));

        // Within the rule's 2-minute leeway after exp the token is still accepted, but verified again.
        _f.Time.Advance(TimeSpan.FromSeconds(30));
        var late = await ReadAsync(reader, token);
        Assert.Multiple(() =>
        {
            Assert.That(late.Token, Is.Not.Null);
            Assert.That(Counts(), Is.EqualTo((Hits: 1, Misses: 2)));
        });
    }

    [Test]
    public async Task The_cache_holds_at_most_its_size_and_lets_the_oldest_go()
    {
        var cache = Cache(size: 3);
        var reader = Reader(cache);
        var tokens = Enumerable.Range(0, 5).Select(i => Token(subject: $"user-{i}")).ToList();
        foreach (var token in tokens)
        {
            await ReadAsync(reader, token);
        }

        Assert.That(cache.Count, Is.EqualTo(3));
        await ReadAsync(reader, tokens[4]);
        await ReadAsync(reader, tokens[0]);

        Assert.That(Counts(), Is.EqualTo((Hits: 1, Misses: 6)));
        Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public async Task Size_zero_turns_the_cache_off()
    {
        var cache = Cache(size: 0);
        var reader = Reader(cache);
        var token = Token();

        await ReadAsync(reader, token);
        var again = await ReadAsync(reader, token);

        Assert.Multiple(() =>
        {
            Assert.That(again.Token, Is.Not.Null);
            Assert.That(cache.Count, Is.Zero);
            Assert.That(_lookups.GetMeasurementSnapshot(), Is.Empty, "no lookups counted when off");
        });
    }

    [Test]
    public async Task A_key_set_without_the_key_no_longer_verifies_a_cached_token()
    {
        var reader = Reader(size: 100);
        var token = Token();
        await ReadAsync(reader, token);

        // What a JWKS refresh hands the reader after the provider removed the key: a new key set.
        var removed = await reader.ReadAsync(token, Rule(KeysWith(StsFixture.OtherRsaKey)), CancellationToken.None);
        // The same key published again (a refresh that kept it): verified afresh, once.
        var refreshed = KeysWith(StsFixture.SharedThirdPartyKey);
        var kept = await reader.ReadAsync(token, Rule(refreshed), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(removed.Failure?.Kind, Is.EqualTo(JwtFailureKind.NoKeyForKid));
            Assert.That(kept.Token, Is.Not.Null);
            Assert.That(Counts(), Is.EqualTo((Hits: 0, Misses: 3)));
        });
    }

    [Test]
    public async Task Per_request_checks_still_run_on_a_cached_token()
    {
        var reader = Reader(size: 100);
        var token = Token(lifetimeSeconds: 300);
        await ReadAsync(reader, token);

        // The pool's provider no longer lists this client id; then another issuer is configured for the pool.
        var otherAudience = await reader.ReadAsync(token, Rule(_keys) with { Audience = AudienceRule.AudienceAmong(["client-2"]) }, CancellationToken.None);
        var otherIssuer = await reader.ReadAsync(token, Rule(_keys) with { Issuers = IssuerRule.Exactly("https://other.example.com") }, CancellationToken.None);
        _f.Time.Advance(TimeSpan.FromSeconds(300 + 121));
        var expired = await ReadAsync(reader, token);

        Assert.Multiple(() =>
        {
            Assert.That(otherAudience.Failure?.Kind, Is.EqualTo(JwtFailureKind.Audience));
            Assert.That(otherIssuer.Failure?.Kind, Is.EqualTo(JwtFailureKind.Issuer));
            Assert.That(expired.Failure?.Kind, Is.EqualTo(JwtFailureKind.Expired));
        });
    }

    private string Token(int lifetimeSeconds = 300, string subject = "user-42")
    {
        var claims = _f.ThirdPartyClaims();
        claims["sub"] = subject;
        claims["exp"] = _f.Now + lifetimeSeconds;
        return _f.Sign(claims, StsFixture.SharedThirdPartyKey);
    }

    private ValueTask<JwtResult> ReadAsync(JwtReader reader, string token) => reader.ReadAsync(token, Rule(_keys), CancellationToken.None);

    /// <summary>A third-party issuer's rule with Cognito's leeway (2 minutes after exp) and keys already resolved.</summary>
    private static JwtRule Rule(IssuerKeys keys) => new(
        IssuerRule.Exactly(StsFixture.ThirdPartyIssuer), AudienceRule.AudienceAmong([ClientId]), new LifetimeRule(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2)),
        JwtRules.ThirdPartyMaxLength, new ResolvedKeys(keys), JwtRules.ThirdPartyAlgorithms);

    private static IssuerKeys KeysWith(SecurityKey key) => new(StsFixture.ThirdPartyIssuer, [key], IsBroker: false, StsFixture.ThirdPartyProviderArn);

    private VerifiedTokenCache Cache(int size)
    {
        var options = Options.Create(new BrokerOptions { Tokens = new TokenOptions { VerifiedTokenCacheSize = size } });
        return new VerifiedTokenCache(options, _f.Time, new BrokerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), options));
    }

    private JwtReader Reader(int size) => Reader(Cache(size));

    private JwtReader Reader(VerifiedTokenCache cache) =>
        new(new IssuerKeyCache(new StubHttpClientFactory(new StubOidcProvider(StsFixture.ThirdPartyIssuer)), _f.Options, _f.Time),
            new IdentityBroker.Tokens.SigningKeyRing(new InMemoryKeyStore(), _f.Options, _f.Time), _f.Time, cache);

    private (int Hits, int Misses) Counts()
    {
        var snapshot = _lookups.GetMeasurementSnapshot();
        return (snapshot.Count(m => Equals(m.Tags["result"], "hit")), snapshot.Count(m => Equals(m.Tags["result"], "miss")));
    }
}
