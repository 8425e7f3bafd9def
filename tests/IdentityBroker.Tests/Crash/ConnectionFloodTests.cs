using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using IdentityBroker.Server.Connections;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// Idle TCP connections that send nothing used to fill the broker's descriptors, after which the
/// process grew until the runtime aborted with "Out of memory.". These start the broker as its own OS process (so
/// that its descriptor limit is its own) and open idle loopback connections against it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConnectionFloodTests
{
    private string _dataDirectory = "";

    [SetUp]
    public void CreateDataDirectory() => _dataDirectory = Directory.CreateTempSubdirectory("broker-flood-").FullName;

    [TearDown]
    public void DeleteDataDirectory() => Directory.Delete(_dataDirectory, recursive: true);

    [Test]
    public async Task More_idle_connections_than_the_limit_are_closed_and_the_broker_keeps_answering()
    {
        await using var broker = await StartAsync(new() { ["Broker__Http__MaxConcurrentConnections"] = "50" });
        var descriptorsBefore = OpenDescriptors(broker.Id);

        var idle = await OpenIdleAsync(broker.BaseAddress, 300);
        try
        {
            var closedByBroker = await CountClosedByPeerAsync(idle, atLeast: 250, within: TimeSpan.FromSeconds(5));
            Assert.That(closedByBroker, Is.GreaterThanOrEqualTo(250), "the connections over the limit of 50 are closed at once");
            Assert.That(OpenDescriptors(broker.Id), Is.LessThan(descriptorsBefore + 50 + 40), "descriptors stay bounded by the limit");

            // Every slot is held by a connection that sent nothing (the keep-alive timeout is the default 130 s): the
            // oldest silent one makes room, so requests are answered at once.
            await AssertServesAsync(broker, within: TimeSpan.FromSeconds(5));
            Assert.That(broker.IsRunning, Is.True);
        }
        finally
        {
            CloseAll(idle);
        }

        await AssertServesAsync(broker, within: TimeSpan.FromSeconds(5));
        Assert.That(CountLines(broker.Output, "[9101]"), Is.LessThanOrEqualTo(2), "refusals are logged once per interval");
        Assert.That(CountLines(broker.Output, "[9103]"), Is.LessThanOrEqualTo(2), "connections closed to make room are logged once per interval");
    }

    [Test]
    public async Task A_connection_that_sent_a_request_is_kept_while_silent_ones_make_room()
    {
        // Three slots: the start-up readiness check's pooled connection, one that sends a request, one that sends nothing.
        await using var broker = await StartAsync(new() { ["Broker__Http__MaxConcurrentConnections"] = "3" });
        using var served = (await OpenIdleAsync(broker.BaseAddress, 1))[0];
        Assert.That(await HealthOverAsync(served), Does.StartWith("HTTP/1.1 200"));

        var silent = await OpenIdleAsync(broker.BaseAddress, 1);
        await Task.Delay(UnstartedConnections.GracePeriod + TimeSpan.FromMilliseconds(300));
        silent.AddRange(await OpenIdleAsync(broker.BaseAddress, 1));
        try
        {
            Assert.That(await CountClosedByPeerAsync(silent[..1], atLeast: 1, within: TimeSpan.FromSeconds(3)), Is.EqualTo(1),
                "the silent connection made room for the new one");
            Assert.That(ClosedByPeer(silent[1]), Is.False, "the new connection was admitted");
            Assert.That(await HealthOverAsync(served), Does.StartWith("HTTP/1.1 200"), "the connection that had sent a request stays");
        }
        finally
        {
            CloseAll(silent);
        }
    }

    [Test]
    public async Task Connections_kept_alive_after_one_request_do_not_keep_new_clients_out()
    {
        // Every slot held by a connection that sent one request and then nothing, kept alive for the default 130 s: a
        // client that does this needs no credentials and one request per slot and per keep-alive period.
        const int Limit = 4;
        await using var broker = await StartAsync(new() { ["Broker__Http__MaxConcurrentConnections"] = $"{Limit}" });
        var kept = await OpenIdleAsync(broker.BaseAddress, Limit);
        try
        {
            var served = 0;
            foreach (var socket in kept)
            {
                served += await TryHealthOverAsync(socket) ? 1 : 0;
            }

            Assert.That(served, Is.GreaterThanOrEqualTo(Limit - 1), "the slots are taken by connections that were served");
            await Task.Delay(UnstartedConnections.GracePeriod + TimeSpan.FromMilliseconds(300));

            await AssertServesAsync(broker, within: TimeSpan.FromSeconds(5));
        }
        finally
        {
            CloseAll(kept);
        }
    }

    private static async Task<bool> TryHealthOverAsync(Socket socket)
    {
        try
        {
            return (await HealthOverAsync(socket)).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false; // closed at accept: every slot was taken
        }
    }

    private static async Task<string> HealthOverAsync(Socket socket)
    {
        await socket.SendAsync("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    [Test]
    public async Task Under_a_low_descriptor_limit_the_default_connection_limit_keeps_the_broker_up_through_a_flood()
    {
        await using var broker = await StartAsync([], descriptorLimit: 1024);

        var idle = await OpenIdleAsync(broker.BaseAddress, 1200);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.That(OpenDescriptors(broker.Id), Is.LessThan(1024 - 100), "the derived limit keeps a reserve of descriptors");
        }
        finally
        {
            CloseAll(idle);
        }

        await AssertServesAsync(broker, within: TimeSpan.FromSeconds(10));
        Assert.That(broker.Output, Does.Not.Contain("Out of memory"));
        Assert.That(broker.Output, Does.Contain("File-descriptor limit 1024"), "the limit and the derived connection limit are logged");
    }

    [Test]
    public async Task Out_of_descriptors_the_broker_stays_up_logs_once_per_interval_and_serves_again_once_they_are_freed()
    {
        await using var broker = await StartAsync([]);

        // Something else took the descriptors: only about 30 are left, fewer than the connection limit allows.
        SetDescriptorLimit(broker.Id, OpenDescriptors(broker.Id) + 30);
        var residentBefore = ResidentBytes(broker.Id);
        var idle = await OpenIdleAsync(broker.BaseAddress, 300);
        try
        {
            var cpuBefore = CpuTime(broker.Id);
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.That(CpuTime(broker.Id) - cpuBefore, Is.LessThan(TimeSpan.FromSeconds(1)), "accept does not spin while it fails");
            Assert.That(ResidentBytes(broker.Id) - residentBefore, Is.LessThan(60L << 20), "no runaway growth while accept fails");
            Assert.That(CountLines(broker.Output, "[9102]"), Is.InRange(1, 2), "the accept failure is logged once per interval");
        }
        finally
        {
            CloseAll(idle);
        }

        await AssertServesAsync(broker, within: TimeSpan.FromSeconds(10));
        Assert.That(broker.Output, Does.Not.Contain("Out of memory"));
    }

    private async Task<BrokerProcess> StartAsync(Dictionary<string, string> settings, int? descriptorLimit = null)
    {
        settings["Broker__DataDirectory"] = _dataDirectory;
        settings["Broker__SeedDemoPool"] = "true";
        settings["Logging__LogLevel__IdentityBroker.Server.Connections"] = "Information";
        return await BrokerProcess.StartAsync(settings, descriptorLimit);
    }

    /// <summary>GET /health/live and a guest GetId both answer within a few seconds, retried until <paramref name="within"/>.</summary>
    private async Task AssertServesAsync(BrokerProcess broker, TimeSpan within)
    {
        var poolId = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "demo-pool-id"))).Trim();
        using var client = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(3) };
        var stopwatch = Stopwatch.StartNew();
        string? last = null;
        while (stopwatch.Elapsed < within)
        {
            try
            {
                using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
                using var getId = await client.SendAsync(GetId(poolId));
                var body = await getId.Content.ReadAsStringAsync();
                if (live.StatusCode == HttpStatusCode.OK && getId.StatusCode == HttpStatusCode.OK)
                {
                    Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("IdentityId").GetString(), Does.StartWith("us-east-1:"));
                    return;
                }

                last = $"{live.StatusCode} / {getId.StatusCode} {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The broker did not serve within {within} (last: {last}):\n{broker.Output}");
    }

    private static HttpRequestMessage GetId(string poolId) => new(HttpMethod.Post, "/")
    {
        Content = new StringContent($$"""{"IdentityPoolId":"{{poolId}}"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
        Headers = { { "X-Amz-Target", "AWSCognitoIdentityService.GetId" } },
    };

    private static async Task<List<Socket>> OpenIdleAsync(Uri address, int count)
    {
        var sockets = new List<Socket>(count);
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        }

        return sockets;
    }

    /// <summary>Connections the broker closed: readable with nothing to read (end of stream), or reset.</summary>
    private static async Task<int> CountClosedByPeerAsync(List<Socket> sockets, int atLeast, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        var closed = 0;
        while (stopwatch.Elapsed < within)
        {
            closed = sockets.Count(ClosedByPeer);
            if (closed >= atLeast)
            {
                break;
            }

            await Task.Delay(100);
        }

        return closed;
    }

    private static bool ClosedByPeer(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static void CloseAll(List<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    private static int CountLines(string output, string marker) =>
        output.Split('\n').Count(line => line.Contains(marker, StringComparison.Ordinal));

    private static int OpenDescriptors(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>User plus system CPU time of the process (proc(5), /proc/pid/stat fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static void SetDescriptorLimit(int pid, int limit)
    {
        using var prlimit = Process.Start("prlimit", ["--pid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), $"--nofile={limit}:{limit}"]);
        prlimit.WaitForExit();
        Assert.That(prlimit.ExitCode, Is.Zero, "prlimit --pid lowered the broker's descriptor limit");
    }
}
