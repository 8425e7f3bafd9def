using IdentityBroker.UserPools.CompromisedPasswords;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.CompromisedPasswords;

/// <summary>The range API source against a real HTTP server on loopback.</summary>
public sealed class PwnedPasswordsRangeApiTests
{
    private const string Breached = "P@ssw0rd";
    private LoopbackRangeServer _server = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void StartServer()
    {
        _server = new LoopbackRangeServer();
        _services = new ServiceCollection().AddHttpClient(CompromisedPasswordsOptions.HttpClientName).Services.BuildServiceProvider();
    }

    [TearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    private PwnedPasswordsRangeApi Source(Uri? url = null, TimeSpan? timeout = null) => new(
        _services.GetRequiredService<IHttpClientFactory>(),
        Options.Create(new CompromisedPasswordsOptions { RangeApiUrl = url ?? _server.BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(5) }),
        NullLogger<PwnedPasswordsRangeApi>.Instance);

    private static string Range(string sha1, int count, bool padded) =>
        string.Join("\r\n", PwnedSha1.Random(20).Select(h => h[5..] + ":3")
            .Append(sha1[5..] + ":" + count)
            .Concat(padded ? PwnedSha1.Random(20).Select(h => h[5..] + ":0") : [])
            .Order(StringComparer.Ordinal));

    [Test]
    public async Task Listed_suffix_is_compromised_and_only_the_prefix_is_sent()
    {
        var sha1 = PwnedSha1.Of(Breached);
        _server.Answer = _ => (200, Range(sha1, 52_256_179, padded: true));

        Assert.That(await Source().LookupAsync(sha1, default), Is.EqualTo(CompromisedVerdict.Compromised));
        Assert.That(_server.Requests.Single(), Is.EqualTo(("/range/" + sha1[..5], "true")));
    }

    [Test]
    public async Task Suffix_listed_only_as_padding_with_count_zero_is_not_compromised()
    {
        var sha1 = PwnedSha1.Of(Breached);
        _server.Answer = _ => (200, Range(sha1, 0, padded: true));
        Assert.That(await Source().LookupAsync(sha1, default), Is.EqualTo(CompromisedVerdict.NotFound));
    }

    [Test]
    public async Task Suffix_absent_from_the_range_is_not_found()
    {
        var sha1 = PwnedSha1.Of(Breached);
        _server.Answer = _ => (200, string.Join("\n", PwnedSha1.Random(50, sha1).Select(h => h[5..] + ":1")));
        Assert.That(await Source().LookupAsync(sha1, default), Is.EqualTo(CompromisedVerdict.NotFound));
    }

    [Test]
    public async Task Lower_case_hash_and_LF_lines_are_understood()
    {
        var sha1 = PwnedSha1.Of(Breached);
        _server.Answer = _ => (200, "0000000000000000000000000000000000A:1\n" + sha1[5..].ToLowerInvariant() + ":7\n");
        Assert.That(await Source().LookupAsync(sha1.ToLowerInvariant(), default), Is.EqualTo(CompromisedVerdict.Compromised));
    }

    [Test]
    public async Task Base_url_with_a_path_keeps_its_path()
    {
        var sha1 = PwnedSha1.Of(Breached);
        await Source(new Uri(_server.BaseUrl, "mirror/pwned")).LookupAsync(sha1, default);
        Assert.That(_server.Requests.Single().Path, Is.EqualTo("/mirror/pwned/range/" + sha1[..5]));
    }

    [TestCase(500)]
    [TestCase(404)]
    [TestCase(429)]
    public async Task Error_status_is_unavailable(int status)
    {
        _server.Answer = _ => (status, "");
        Assert.That(await Source().LookupAsync(PwnedSha1.Of(Breached), default), Is.EqualTo(CompromisedVerdict.Unavailable));
    }

    [Test]
    public async Task Answer_slower_than_the_timeout_is_unavailable()
    {
        _server.Delay = TimeSpan.FromSeconds(3);
        Assert.That(await Source(timeout: TimeSpan.FromMilliseconds(200)).LookupAsync(PwnedSha1.Of(Breached), default),
            Is.EqualTo(CompromisedVerdict.Unavailable));
    }

    [Test]
    public async Task Closed_port_is_unavailable()
    {
        var url = _server.BaseUrl;
        await _server.DisposeAsync();
        Assert.That(await Source(url).LookupAsync(PwnedSha1.Of(Breached), default), Is.EqualTo(CompromisedVerdict.Unavailable));
    }

    [Test]
    public async Task Oversized_answer_is_unavailable()
    {
        var sha1 = PwnedSha1.Of(Breached);
        _server.Answer = _ => (200, sha1[5..] + ":1\n" + new string('A', 2 << 20));
        Assert.That(await Source().LookupAsync(sha1, default), Is.EqualTo(CompromisedVerdict.Unavailable));
    }

    [Test]
    public async Task Check_blocks_when_unavailable_only_if_configured_to_fail_closed()
    {
        _server.Answer = _ => (503, "");
        var loggers = NullLoggerFactory.Instance;
        var open = new CompromisedPasswordCheck([Source()], WhenSourceUnavailable.Allow, loggers, new FakeTimeProvider());
        var closed = new CompromisedPasswordCheck([Source()], WhenSourceUnavailable.Block, loggers, new FakeTimeProvider());

        Assert.That(await open.CheckAsync(Breached, default), Is.EqualTo(new CompromisedPasswordResult(CompromisedVerdict.Unavailable, Block: false)));
        Assert.That(await closed.CheckAsync(Breached, default), Is.EqualTo(new CompromisedPasswordResult(CompromisedVerdict.Unavailable, Block: true)));
    }

    [Test]
    public async Task Check_built_from_options_asks_the_range_api_with_the_password_sha1()
    {
        var sha1 = PwnedSha1.Of(Breached);
        _server.Answer = _ => (200, Range(sha1, 9, padded: false));
        var check = new CompromisedPasswordCheck(
            Options.Create(new CompromisedPasswordsOptions { RangeApiUrl = _server.BaseUrl }),
            _services.GetRequiredService<IHttpClientFactory>(), NullLoggerFactory.Instance, new FakeTimeProvider());

        Assert.That(check.HasSources, Is.True);
        Assert.That(await check.CheckAsync(Breached, default), Is.EqualTo(new CompromisedPasswordResult(CompromisedVerdict.Compromised, Block: true)));
        Assert.That(await check.CheckAsync("a-much-rarer-password-7Q", default), Is.EqualTo(new CompromisedPasswordResult(CompromisedVerdict.NotFound, Block: false)));
    }
}
