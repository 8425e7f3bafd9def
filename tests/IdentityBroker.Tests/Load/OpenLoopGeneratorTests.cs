using System.Collections.Concurrent;
using System.Text;
using IdentityBroker.Load.OpenLoop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Tests.Load;

/// <summary>The load tool's open-loop generator: its schedule, its percentiles and, against a loopback server, that it never waits for replies.</summary>
public sealed class OpenLoopGeneratorTests
{
    [Test]
    public void The_schedule_fixes_one_due_time_per_interval_from_the_start()
    {
        var schedule = new OpenLoopSchedule(1000, TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(schedule.Count, Is.EqualTo(1000));
            Assert.That(schedule.DueAt(0), Is.EqualTo(TimeSpan.Zero));
            Assert.That(schedule.DueAt(1), Is.EqualTo(TimeSpan.FromMilliseconds(1)));
            Assert.That(schedule.DueAt(999), Is.EqualTo(TimeSpan.FromMilliseconds(999)));
            Assert.That(schedule.DueBy(TimeSpan.FromTicks(-1)), Is.Zero);
            Assert.That(schedule.DueBy(TimeSpan.Zero), Is.EqualTo(1));
            Assert.That(schedule.DueBy(TimeSpan.FromMilliseconds(0.5)), Is.EqualTo(1));
            Assert.That(schedule.DueBy(TimeSpan.FromMilliseconds(1)), Is.EqualTo(2));
            Assert.That(schedule.DueBy(TimeSpan.FromSeconds(10)), Is.EqualTo(1000));
        });
    }

    [Test]
    public void How_many_are_due_agrees_with_each_due_time_at_a_rate_that_does_not_divide_a_second()
    {
        var schedule = new OpenLoopSchedule(3, TimeSpan.FromSeconds(7));

        for (var ticks = 0L; ticks <= TimeSpan.FromSeconds(8).Ticks; ticks += 123_457)
        {
            var elapsed = TimeSpan.FromTicks(ticks);
            var due = schedule.DueBy(elapsed);
            Assert.That(Enumerable.Range(0, schedule.Count).Count(i => schedule.DueAt(i) <= elapsed), Is.EqualTo(due), $"at {elapsed}");
        }
    }

    [Test]
    public void Percentiles_are_the_nearest_rank_of_the_sorted_values()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();
        var percentiles = new Percentiles(values);

        Assert.Multiple(() =>
        {
            Assert.That(percentiles.At(50), Is.EqualTo(50));
            Assert.That(percentiles.At(99), Is.EqualTo(99));
            Assert.That(percentiles.At(99.5), Is.EqualTo(100));
            Assert.That(percentiles.At(0), Is.EqualTo(1));
            Assert.That(percentiles.Max, Is.EqualTo(100));
            Assert.That(new Percentiles([]).At(99), Is.NaN);
        });
    }

    [Test]
    public void Latency_counts_from_the_due_time_not_from_when_the_request_went_out()
    {
        static TimeSpan ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
        var result = new OpenLoopResult(100, [new OpenLoopSample(ms(0), ms(5), ms(6), 200), new OpenLoopSample(ms(10), ms(10), ms(12), 500)], ms(12));

        Assert.Multiple(() =>
        {
            Assert.That(result.P50Ms, Is.EqualTo(2), "sorted latencies 2 and 6 ms");
            Assert.That(result.P99Ms, Is.EqualTo(6), "the late send's 5 ms count: 6 ms from due, not 1 ms from sent");
            Assert.That(result.SendLagP99Ms, Is.EqualTo(5));
            Assert.That(result.Errors, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Every_request_goes_out_on_schedule_before_any_reply_when_the_server_holds_all_replies()
    {
        var schedule = new OpenLoopSchedule(200, TimeSpan.FromSeconds(0.25));
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async (_, _) =>
        {
            if (Interlocked.Increment(ref arrived) == schedule.Count)
            {
                allArrived.SetResult();
            }

            // A generator that waited for replies would never send the rest: the held replies then fail after 30 s.
            try
            {
                await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
                return 200;
            }
            catch (TimeoutException)
            {
                return 503;
            }
        });
        using var generator = new OpenLoopGenerator(schedule.Count + 8, TimeSpan.FromSeconds(60), TimeProvider.System);

        var result = await generator.RunAsync(server.Url, "AWSCognitoIdentityService.GetId", [Encoding.UTF8.GetBytes("{}")], schedule);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Zero);
            Assert.That(result.Samples, Has.Count.EqualTo(schedule.Count));
            Assert.That(arrived, Is.EqualTo(schedule.Count));
            Assert.That(result.Samples.Select((s, i) => s.Due == schedule.DueAt(i)), Is.All.True, "samples in schedule order, each with its own due time");
            Assert.That(result.Samples.Select(s => s.Sent >= s.Due), Is.All.True, "nothing goes out before it is due");
            Assert.That(result.Samples.Max(s => s.Sent), Is.LessThanOrEqualTo(result.Samples.Min(s => s.Completed)), "every send before the first reply");
        });
    }

    [Test]
    public async Task Bodies_go_out_in_turn_with_the_target_and_non_2xx_replies_count_as_errors()
    {
        var schedule = new OpenLoopSchedule(300, TimeSpan.FromSeconds(0.1));
        var seen = new ConcurrentBag<(string Body, string Target, string? ContentType)>();
        await using var server = await LoopbackServer.StartAsync(async (request, body) =>
        {
            seen.Add((body, request.Headers["X-Amz-Target"].ToString(), request.ContentType));
            await Task.CompletedTask;
            return body == "bad" ? 400 : 200;
        });
        using var generator = new OpenLoopGenerator(64, TimeSpan.FromSeconds(60), TimeProvider.System);

        var result = await generator.RunAsync(server.Url, "AWSCognitoIdentityService.GetCredentialsForIdentity", ["a"u8.ToArray(), "b"u8.ToArray(), "bad"u8.ToArray()], schedule);

        Assert.Multiple(() =>
        {
            Assert.That(schedule.Count, Is.EqualTo(30));
            Assert.That(result.Errors, Is.EqualTo(10));
            Assert.That(result.Samples.Select((s, i) => s.Status == (i % 3 == 2 ? 400 : 200)), Is.All.True, "request i carries body i mod 3");
            Assert.That(seen.GroupBy(s => s.Body).ToDictionary(g => g.Key, g => g.Count()), Is.EquivalentTo(new Dictionary<string, int> { ["a"] = 10, ["b"] = 10, ["bad"] = 10 }));
            Assert.That(seen.Select(s => s.Target), Is.All.EqualTo("AWSCognitoIdentityService.GetCredentialsForIdentity"));
            Assert.That(seen.Select(s => s.ContentType), Is.All.EqualTo("application/x-amz-json-1.1"));
        });
    }

    [Test]
    public async Task At_a_request_due_every_fraction_of_a_millisecond_the_generator_waits_instead_of_spinning()
    {
        // 5,000/s: a request every 0.2 ms. A wait shorter than the timer's millisecond returns at once, so a generator that
        // waited for each next due time spun, reading the clock millions of times, and took a core from the server it measured.
        var schedule = new OpenLoopSchedule(5000, TimeSpan.FromSeconds(0.3));
        await using var server = await LoopbackServer.StartAsync((_, _) => Task.FromResult(200));
        var time = new CountingTimeProvider();
        using var generator = new OpenLoopGenerator(256, TimeSpan.FromSeconds(60), time);

        var result = await generator.RunAsync(server.Url, "AWSCognitoIdentityService.GetId", ["{}"u8.ToArray()], schedule);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Zero);
            Assert.That(result.Samples, Has.Count.EqualTo(1500));
            // It wakes when a reply arrives or a millisecond has passed: at most one wake-up per reply plus one per
            // millisecond of the run. A starved test process wakes late and so less often: only the upper bound is the machine's to keep.
            Assert.That(result.Wakeups, Is.Positive.And.LessThanOrEqualTo(schedule.Count + 400));
            Assert.That(time.ClockReads, Is.LessThan(20_000), "a few clock reads per request and per wake-up, not a loop spinning on the clock");
        });
    }

    [Test]
    public async Task A_server_that_closes_each_connection_after_its_reply_gets_a_new_connection_per_request_and_no_errors()
    {
        var schedule = new OpenLoopSchedule(200, TimeSpan.FromSeconds(0.1));
        await using var server = await LoopbackServer.StartAsync((request, _) =>
        {
            request.HttpContext.Response.Headers.Connection = "close";
            return Task.FromResult(200);
        });
        using var generator = new OpenLoopGenerator(8, TimeSpan.FromSeconds(60), TimeProvider.System);

        var first = await generator.RunAsync(server.Url, "AWSCognitoIdentityService.GetId", ["{}"u8.ToArray()], schedule);
        var second = await generator.RunAsync(server.Url, "AWSCognitoIdentityService.GetId", ["{}"u8.ToArray()], schedule);

        Assert.Multiple(() =>
        {
            Assert.That(first.Samples, Has.Count.EqualTo(20));
            Assert.That(first.Errors, Is.Zero);
            Assert.That(second.Errors, Is.Zero, "no connection closed by the server is reused in the next run");
        });
    }

    [Test]
    public async Task Requests_to_a_port_nobody_listens_on_are_errors_and_the_run_ends()
    {
        var schedule = new OpenLoopSchedule(100, TimeSpan.FromSeconds(0.1));
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var generator = new OpenLoopGenerator(8, TimeSpan.FromSeconds(5), TimeProvider.System);

        var result = await generator.RunAsync(new Uri($"http://127.0.0.1:{port}/"), "AWSCognitoIdentityService.GetId", ["{}"u8.ToArray()], schedule);

        Assert.That(result.Errors, Is.EqualTo(schedule.Count));
    }

    /// <summary>The system's clock, counting how often the generator reads it.</summary>
    private sealed class CountingTimeProvider : TimeProvider
    {
        private long _clockReads;

        public long ClockReads => Interlocked.Read(ref _clockReads);

        public override long GetTimestamp()
        {
            Interlocked.Increment(ref _clockReads);
            return base.GetTimestamp();
        }
    }

    /// <summary>A Kestrel server on a loopback port that answers every POST with the status the handler returns.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LoopbackServer(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<LoopbackServer> StartAsync(Func<HttpRequest, string, Task<int>> handler)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var status = await handler(request, await reader.ReadToEndAsync());
                return Results.StatusCode(status);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new LoopbackServer(app, new Uri(address + "/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
