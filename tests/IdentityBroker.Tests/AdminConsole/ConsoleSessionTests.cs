using IdentityBroker.Protocol.Signing;
using IdentityBroker.Server.Console;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace IdentityBroker.Tests.AdminConsole;

/// <summary>
/// The console session against a real store and a fake clock: idle timeout, the 12-hour limit, sign-out revocation, forged
/// tickets. One contract, run on SQLite and on a real Redis (<see cref="RedisConsoleSessionTests"/>).
/// </summary>
public abstract class ConsoleSessionContract
{
    private FakeTimeProvider _time = null!;
    private ConsoleSessions _sessions = null!;

    private IDisposable? _store;

    /// <summary>The store the sessions are kept in (the user-pool session store and the key store of one broker).</summary>
    protected abstract Task<(IUserPoolSessionStore Sessions, IKeyStore Keys, IDisposable Store)> OpenStoreAsync();

    /// <summary>After the store is disposed: what else the store left (a folder).</summary>
    protected virtual void CleanUp()
    {
    }

    [SetUp]
    public async Task Open()
    {
        // The wall clock's now: a Redis store gives each session a real expiry (PEXPIREAT) from the record's ExpiresAt.
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (sessions, keys, store) = await OpenStoreAsync();
        _store = store;
        var options = Options.Create(new BrokerOptions { Console = new ConsoleOptions { IdleTimeout = TimeSpan.FromMinutes(30) } });
        _sessions = new ConsoleSessions(sessions, keys, _time, options);
    }

    [TearDown]
    public void Close()
    {
        _store?.Dispose();
        CleanUp();
    }

    private async Task<string> SignInAsync()
    {
        var http = new DefaultHttpContext();
        await _sessions.StartAsync(http, "AKIDTEST");
        var header = http.Response.Headers.SetCookie.ToString();
        Assert.That(header, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        return header[(ConsoleSessions.Cookie.Length + 1)..header.IndexOf(';', StringComparison.Ordinal)];
    }

    private async Task<(ConsoleSession? Session, HttpContext Http)> RequestAsync(string ticket)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"{ConsoleSessions.Cookie}={ticket}";
        return (await _sessions.CurrentAsync(http), http);
    }

    [Test]
    public async Task A_session_lives_while_used_and_ends_after_the_idle_timeout()
    {
        var ticket = await SignInAsync();
        _time.Advance(TimeSpan.FromMinutes(29));
        var (session, http) = await RequestAsync(ticket);
        Assert.That(session, Is.Not.Null);
        var renewed = http.Response.Headers.SetCookie.ToString();
        var renewedTicket = renewed[(ConsoleSessions.Cookie.Length + 1)..renewed.IndexOf(';', StringComparison.Ordinal)];

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.That((await RequestAsync(renewedTicket)).Session, Is.Not.Null, "each request renews the ticket");
        Assert.That((await RequestAsync(ticket)).Session, Is.Null, "the first ticket was last used 58 minutes ago");
    }

    [Test]
    public async Task A_session_in_use_still_ends_12_hours_after_sign_in()
    {
        var ticket = await SignInAsync();
        for (var step = 1; step <= 25; step++)
        {
            _time.Advance(TimeSpan.FromMinutes(29));
            var (session, http) = await RequestAsync(ticket);
            if (step == 25)
            {
                Assert.That(session, Is.Null, "12 h 5 min after sign-in, however recently used");
                break;
            }

            Assert.That(session, Is.Not.Null, $"{29 * step} minutes after sign-in, used every 29");
            var renewed = http.Response.Headers.SetCookie.ToString();
            ticket = renewed[(ConsoleSessions.Cookie.Length + 1)..renewed.IndexOf(';', StringComparison.Ordinal)];
        }
    }

    [Test]
    public async Task The_session_carries_the_admin_key_that_signed_in()
    {
        var (session, _) = await RequestAsync(await SignInAsync());
        Assert.That(session!.AccessKeyId, Is.EqualTo("AKIDTEST"));
    }

    [Test]
    public async Task Sign_out_revokes_the_session_for_every_copy_of_the_cookie()
    {
        var ticket = await SignInAsync();
        var (session, http) = await RequestAsync(ticket);
        await _sessions.EndAsync(http, session!);
        Assert.That((await RequestAsync(ticket)).Session, Is.Null);
    }

    [TestCase("")]
    [TestCase("AQ")]
    [TestCase("not-a-sealed-ticket")]
    public async Task A_malformed_or_forged_ticket_opens_nothing(string ticket)
    {
        await SignInAsync();
        Assert.That((await RequestAsync(ticket)).Session, Is.Null);
    }

    [Test]
    public async Task Sign_in_takes_only_the_admin_key_and_its_exact_secret()
    {
        var signIn = new ConsoleSignIn(new StaticPrincipalSource([new AccessKey("AKIDADMIN", "s3cret/+")], "000000000000"));
        Assert.That(await signIn.CheckAsync("AKIDADMIN", "s3cret/+", CancellationToken.None), Is.True);
        Assert.That(await signIn.CheckAsync("AKIDADMIN", "s3cret/", CancellationToken.None), Is.False);
        Assert.That(await signIn.CheckAsync("AKIDADMIN", "S3cret/+", CancellationToken.None), Is.False);
        Assert.That(await signIn.CheckAsync("AKIDOTHER", "s3cret/+", CancellationToken.None), Is.False);
        Assert.That(await signIn.CheckAsync("", "", CancellationToken.None), Is.False);
        Assert.That(await signIn.CheckAsync(null, null, CancellationToken.None), Is.False);
    }
}

public sealed class SqliteConsoleSessionTests : ConsoleSessionContract
{
    private string _directory = "";

    protected override Task<(IUserPoolSessionStore Sessions, IKeyStore Keys, IDisposable Store)> OpenStoreAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"ib-console-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        var store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        return Task.FromResult<(IUserPoolSessionStore, IKeyStore, IDisposable)>((store, store, store));
    }

    protected override void CleanUp() => Directory.Delete(_directory, recursive: true);
}

/// <summary>The same contract on a real Redis (<see cref="RedisTestServer"/>: REDIS_URL, Docker, or redis-server from PATH).</summary>
[NonParallelizable]
public sealed class RedisConsoleSessionTests : ConsoleSessionContract
{
    private RedisTestServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        _redis = await RedisTestServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>Each test its own key prefix on the shared connection (which the store does not own, so disposing it leaves Redis up).</summary>
    protected override Task<(IUserPoolSessionStore Sessions, IKeyStore Keys, IDisposable Store)> OpenStoreAsync()
    {
        var store = new RedisBrokerStore(_connection, $"ibt-{Guid.NewGuid():N}");
        return Task.FromResult<(IUserPoolSessionStore, IKeyStore, IDisposable)>((store, store, store));
    }
}
