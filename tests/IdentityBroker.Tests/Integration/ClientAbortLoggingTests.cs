using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Clients that hang up mid-body are client events, not server crashes. Real sockets against the real
/// server, with the shipped log levels (Default Information, Microsoft.AspNetCore Warning).
/// </summary>
[TestFixture]
public sealed class ClientAbortLoggingTests
{
    private const int Aborts = 1000;

    [Test]
    public async Task A_thousand_requests_aborted_mid_body_add_at_most_a_few_lines_at_the_default_level()
    {
        var logs = new FakeLogCollector();
        var requests = new CompletedRequests();
        await using var server = await BrokerServer.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" },
            builder =>
            {
                builder.Logging.AddProvider(new FakeLoggerProvider(logs));
                builder.Services.AddSingleton<IStartupFilter>(requests);
            });
        logs.Clear();
        var before = requests.Count;

        await Parallel.ForAsync(0, Aborts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await AbortMidBodyAsync(server.BaseAddress, reset: i % 2 == 0, ct));
        await requests.WaitForAsync(before + Aborts, TimeSpan.FromSeconds(60));

        var lines = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.That(lines, Has.Count.LessThanOrEqualTo(3), string.Join("\n", lines.Take(3).Select(r => $"{r.Level} {r.Category}: {r.Message}")));
        Assert.That(lines.Where(r => r.Exception is not null), Is.Empty, "no stack trace for a client event");
        using var health = await server.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.That((int)health.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task A_body_sent_slower_than_kestrels_minimum_rate_gets_408_and_no_log_line()
    {
        var logs = new FakeLogCollector();
        await using var server = await BrokerServer.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" },
            builder => builder.Logging.AddProvider(new FakeLoggerProvider(logs)));
        logs.Clear();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);

        // Kestrel's default MinRequestBodyDataRate: 240 bytes/s after a 5 s grace period. Ten bytes, then silence.
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4096\r\n\r\nAction=Get"));
        var reply = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await socket.ReceiveAsync(reply, timeout.Token);

        Assert.That(Encoding.ASCII.GetString(reply, 0, read), Does.StartWith("HTTP/1.1 408"));
        Assert.That(logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).Select(r => $"{r.Level} {r.Category}: {r.Message}"), Is.Empty);
    }

    /// <summary>
    /// Headers with Content-Length and Expect: 100-continue; the broker's "100 Continue" proves the request is in its body
    /// read; then a part of the body and a hang-up (FIN) or a reset (RST).
    /// </summary>
    private static async Task AbortMidBodyAsync(Uri broker, bool reset, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(broker.Host, broker.Port, ct);
        var head = $"POST / HTTP/1.1\r\nHost: {broker.Authority}\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + "X-Amz-Target: AWSCognitoIdentityService.GetId\r\nContent-Length: 4096\r\nExpect: 100-continue\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head), ct);
        var reply = new byte[256];
        var read = await socket.ReceiveAsync(reply, ct);
        Assert.That(Encoding.ASCII.GetString(reply, 0, read), Does.StartWith("HTTP/1.1 100"));
        await socket.SendAsync(Encoding.ASCII.GetBytes("{\"IdentityPoolId\":\"us-east-1:"), ct);
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        socket.Close();
    }

    /// <summary>Counts requests whose handling has finished (the test waits for every aborted one before reading the log).</summary>
    private sealed class CompletedRequests : IStartupFilter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                try
                {
                    await following(context);
                }
                finally
                {
                    Interlocked.Increment(ref _count);
                }
            });
            next(app);
        };

        public async Task WaitForAsync(int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.That(Count, Is.GreaterThanOrEqualTo(count), "every aborted request reached the broker and finished");
        }
    }
}
