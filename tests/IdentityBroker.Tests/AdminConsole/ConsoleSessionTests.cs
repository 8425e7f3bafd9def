using IdentityBroker.Protocol.Signing;
using IdentityBroker.Server.Console;
using IdentityBroker.Storage.Sqlite;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.AdminConsole;

/// <summary>The console session against a real SQLite store and a fake clock: idle timeout, sign-out revocation, forged tickets.</summary>
public sealed class ConsoleSessionTests
{
    private string _directory = "";
    private SqliteBrokerStore _store = null!;
    private FakeTimeProvider _time = null!;
    private ConsoleSessions _sessions = null!;

    [SetUp]
    public void Open()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"ib-console-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new BrokerOptions { Console = new ConsoleOptions { IdleTimeout = TimeSpan.FromMinutes(30) } });
        _sessions = new ConsoleSessions(_store, _store, _time, options);
    }

    [TearDown]
    public void Close()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
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
