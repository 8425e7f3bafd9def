using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Iam;
using IdentityBroker.Tests.Iam;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Federation;

[TestFixture]
public sealed class OidcProviderKeysTests
{
    private const string Issuer = "https://idp.example.com";
    private const string Arn = "arn:aws:iam::123456789012:oidc-provider/idp.example.com";

    private readonly RsaTestKey _key = new("k1");
    private FakeTimeProvider _time = null!;
    private InMemoryIamStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _store = new InMemoryIamStore();
    }

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public async Task Unregistered_issuer_has_no_keys_and_causes_no_request()
    {
        using var idp = Provider(Issuer);
        var keys = Keys(idp, out _);
        Assert.That(await keys.GetKeysAsync("https://unknown.example.com", "k1", CancellationToken.None), Is.Null);
        Assert.That(idp.Attempts, Is.Zero);
    }

    [Test]
    public async Task Registered_issuer_gets_its_jwks_over_the_named_client()
    {
        using var idp = Provider(Issuer);
        await RegisterAsync(Issuer);
        var keys = Keys(idp, out var factory);

        var found = await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        Assert.That(found!.ProviderArn, Is.EqualTo(Arn));
        Assert.That(found.IsBroker, Is.False);
        Assert.That(found.Keys.Select(k => k.KeyId), Is.EqualTo(new[] { "k1" }));
        Assert.That(factory.Names, Has.All.EqualTo(IssuerKeyCache.HttpClientName));
    }

    [Test]
    public async Task Registered_url_and_issuer_match_ignoring_one_trailing_slash()
    {
        using var idp = Provider(Issuer);
        await RegisterAsync(Issuer + "/");
        Assert.That(await Keys(idp, out _).GetKeysAsync(Issuer, "k1", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Keys_are_cached_until_the_metadata_refresh_interval()
    {
        using var idp = Provider(Issuer);
        await RegisterAsync(Issuer);
        var keys = Keys(idp, out _);

        await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(11));
        await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(idp.DiscoveryRequests, Is.EqualTo(1));

        _time.Advance(TimeSpan.FromHours(1));
        await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(idp.DiscoveryRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_requests_share_one_fetch()
    {
        using var idp = Provider(Issuer);
        await RegisterAsync(Issuer);
        var keys = Keys(idp, out _);
        idp.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var lookups = Enumerable.Range(0, 20).Select(_ => keys.GetKeysAsync(Issuer, "k1", CancellationToken.None).AsTask()).ToList();
        await Task.Delay(100);
        idp.Gate.SetResult();
        var results = await Task.WhenAll(lookups);

        Assert.That(results, Has.All.Not.Null);
        Assert.That(idp.DiscoveryRequests, Is.EqualTo(1));
        Assert.That(idp.JwksRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task Unreachable_provider_fails_clearly_and_is_not_hammered()
    {
        using var idp = Provider(Issuer);
        idp.Unreachable = true;
        await RegisterAsync(Issuer);
        var keys = Keys(idp, out _);

        var error = Assert.ThrowsAsync<IssuerKeysUnavailableException>(async () => await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None));
        Assert.That(error!.Message, Does.Contain(Issuer));
        var lookup = await keys.LookupAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(lookup.Failure, Is.Not.Null);
        Assert.That(idp.Attempts, Is.EqualTo(1), "no new attempt within UnknownKeyRefreshInterval");

        idp.Unreachable = false;
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Known_keys_stay_in_use_when_a_refresh_fails()
    {
        using var idp = Provider(Issuer);
        await RegisterAsync(Issuer);
        var keys = Keys(idp, out _);
        await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None);

        idp.Unreachable = true;
        _time.Advance(TimeSpan.FromHours(13));
        var found = await keys.GetKeysAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(found!.Keys, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Discovery_document_naming_another_issuer_is_refused()
    {
        using var idp = Provider(Issuer);
        idp.DiscoveryIssuer = "https://other.example.com";
        await RegisterAsync(Issuer);
        var lookup = await Keys(idp, out _).LookupAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(lookup.Keys, Is.Null);
        Assert.That(lookup.Failure, Does.Contain("different issuer"));
    }

    [Test]
    public async Task Loopback_http_issuer_is_fetched_over_http()
    {
        const string local = "http://127.0.0.1:5999";
        using var idp = Provider(local);
        await _store.TryCreateOidcProviderAsync(new OidcProvider { Arn = "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:5999", Url = local }, CancellationToken.None);
        Assert.That(await Keys(idp, out _).GetKeysAsync(local, "k1", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Http_issuer_on_another_host_is_never_fetched()
    {
        const string remote = "http://idp.example.com";
        using var idp = Provider(remote);
        await _store.TryCreateOidcProviderAsync(new OidcProvider { Arn = Arn, Url = remote }, CancellationToken.None);
        var lookup = await Keys(idp, out _).LookupAsync(remote, "k1", CancellationToken.None);
        Assert.That(lookup.Failure, Is.Not.Null);
        Assert.That(idp.Attempts, Is.Zero);
    }

    [Test]
    public async Task Http_jwks_uri_on_another_host_is_refused()
    {
        using var idp = Provider(Issuer);
        idp.JwksUri = "http://keys.example.com/jwks";
        await RegisterAsync(Issuer);
        var lookup = await Keys(idp, out _).LookupAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(lookup.Failure, Is.Not.Null);
        Assert.That(idp.JwksRequests, Is.Zero);
    }

    [TestCase("{not json")]
    [TestCase("[]")]
    [TestCase("{\"issuer\": 42}")]
    public async Task Malformed_discovery_document_is_a_failure(string body)
    {
        using var idp = Provider(Issuer);
        idp.RawDiscovery = body;
        await RegisterAsync(Issuer);
        var lookup = await Keys(idp, out _).LookupAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(lookup.Keys, Is.Null);
        Assert.That(lookup.Failure, Is.Not.Null);
    }

    [Test]
    public async Task Missing_jwks_document_is_a_failure()
    {
        using var idp = Provider(Issuer);
        idp.JwksMissing = true;
        await RegisterAsync(Issuer);
        var lookup = await Keys(idp, out _).LookupAsync(Issuer, "k1", CancellationToken.None);
        Assert.That(lookup.Failure, Is.Not.Null);
    }

    private StubOidcProvider Provider(string issuer)
    {
        var idp = new StubOidcProvider(issuer);
        idp.Keys.Add(_key.Jwk);
        return idp;
    }

    private Task<bool> RegisterAsync(string url) =>
        _store.TryCreateOidcProviderAsync(new OidcProvider { Arn = Arn, Url = url, ClientIds = ["app-1"] }, CancellationToken.None);

    private OidcProviderKeys Keys(StubOidcProvider idp, out StubHttpClientFactory factory)
    {
        factory = new StubHttpClientFactory(idp);
        return new OidcProviderKeys(new OidcProviderDirectory(_store, _time), new IssuerKeyCache(factory, Options.Create(new BrokerOptions()), _time));
    }
}
