using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using IdentityBroker.Load.OpenLoop;

namespace IdentityBroker.Load;

/// <summary>
/// The Redis rows: a redis-server the tool starts (AOF on, as docs/redis-and-deploy.md deploys it), two broker replicas on
/// it (same key prefix, issuer and admin key, as behind one load balancer), each driven by its own wrk with half the
/// connections at once. The row's rate per server CPU-second is per replica CPU-second (both replicas' CPU summed),
/// comparable with the SQLite broker's; redis-server's own CPU is reported beside it.
/// </summary>
public static class RedisRun
{
    public const string Mode = "redis";

    /// <summary>The same replicas with <c>Broker__Audit__Enabled=false</c>: the Redis row without the audit trail's XADD.</summary>
    public const string NoAuditMode = "redis-noaudit";

    private const int Replicas = 2;

    /// <summary>Whether <paramref name="mode"/> is one of the Redis replica runs.</summary>
    public static bool Is(string mode) => mode is Mode or NoAuditMode;
    public static async Task<List<Row>> MeasureAsync(LoadOptions o, string mode, string brokerDll, OidcStandIn idp, string[] tokens, IReadOnlyList<Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(operations);
        if (!File.Exists("/usr/bin/redis-server") && !File.Exists("/usr/local/bin/redis-server"))
        {
            Console.WriteLine("Broker mode redis: redis-server is not installed (apt-get install -y redis-server), skipped.");
            return [];
        }

        var dir = Path.Combine(o.OutputDirectory, "broker-" + mode);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var redisPort = ManagedProcess.FreePort();
        await using var redis = ManagedProcess.Start("redis-server",
            ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "yes", "--dir", dir],
            new Dictionary<string, string>(), dir, Path.Combine(dir, "redis.log"));
        await WaitForPortAsync(redisPort, TimeSpan.FromSeconds(30));

        var replicas = new List<ManagedProcess>();
        var urls = new List<Uri>();
        try
        {
            for (var i = 0; i < Replicas; i++)
            {
                var port = ManagedProcess.FreePort();
                var environment = LoadRun.BrokerEnvironment(mode, Path.Combine(dir, $"data{i}"));
                environment["Broker__Store"] = "redis";
                environment["Broker__Redis__Configuration"] = $"127.0.0.1:{redisPort}";
                environment["Broker__Redis__KeyPrefix"] = "load";
                environment["Broker__Issuer"] = "http://127.0.0.1/load-broker";
                replicas.Add(ManagedProcess.Start("dotnet", [brokerDll, "--urls", $"http://127.0.0.1:{port}"], environment, Path.GetDirectoryName(brokerDll)!, Path.Combine(dir, $"broker{i}.log")));
                urls.Add(new Uri($"http://127.0.0.1:{port}/"));
            }

            for (var i = 0; i < Replicas; i++)
            {
                await replicas[i].WaitUntilAnsweringAsync(new Uri(urls[i], "/health/ready"), TimeSpan.FromSeconds(60));
            }

            Console.WriteLine($"Broker (Release, Redis on port {redisPort}, {Replicas} replicas, embedded STS in process, RS512) on {string.Join(", ", urls)}...");
            using var client = new AwsClient(urls[0], LoadRun.AdminKeyId, LoadRun.AdminSecret);
            var poolId = await LoadRun.CreateBrokerPoolAsync(client, idp);
            Console.WriteLine($"  pool {poolId}; creating {tokens.Length} OIDC identities (set-up, not measured)...");
            var ids = await Bodies.CreateIdentitiesAsync(client, poolId, idp.ProviderKey, tokens, LoadRun.SetupParallelism);

            // The SQLite broker serves the 10,000 set-up GetIds before its rows; so does every replica here (the same
            // logins again, through each other replica), or the rows would measure a replica's first minutes (its JIT).
            for (var i = 1; i < Replicas; i++)
            {
                using var other = new AwsClient(urls[i], LoadRun.AdminKeyId, LoadRun.AdminSecret);
                Console.WriteLine($"  the same {tokens.Length} GetIds through replica {i + 1} (set-up, not measured)...");
                await Bodies.CreateIdentitiesAsync(other, poolId, idp.ProviderKey, tokens, LoadRun.SetupParallelism);
            }

            var files = LoadRun.WriteBodies(dir, poolId, idp.ProviderKey, tokens, ids);
            var script = Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua");
            var connections = Math.Max(1, o.Connections / Replicas);
            var wrk = new Wrk(script, o.WrkThreads, connections, o.DurationSeconds);
            var warmup = new Wrk(script, o.WrkThreads, connections, o.WarmupSeconds);

            var rows = new List<Row>();
            foreach (var operation in operations)
            {
                var target = "AWSCognitoIdentityService." + operation.Target;
                await Task.WhenAll(Enumerable.Range(0, Replicas).Select(i => warmup.RunAsync(urls[i], target, files[operation], replicas[i].Id)));
                var redisBefore = ProcStats.CpuSeconds(redis.Id);
                var commandsBefore = await RedisCommandStats.ReadAsync(redisPort);
                var each = await Task.WhenAll(Enumerable.Range(0, Replicas).Select(i => wrk.RunAsync(urls[i], target, files[operation], replicas[i].Id)));
                var commandsAfter = await RedisCommandStats.ReadAsync(redisPort);
                var redisCpu = ProcStats.CpuSeconds(redis.Id) - redisBefore;
                var result = Combine(each);
                LoadRun.Print("broker", mode, operation.Name, result);
                var note = string.Create(CultureInfo.InvariantCulture,
                    $"{Replicas} replicas ({string.Join(" + ", each.Select(r => r.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture)))} req/s); redis-server {redisCpu / result.Requests * 1e6:F0} µs of CPU per request ({result.Requests / redisCpu:F0} requests per redis-server CPU-second); Redis commands per request: {RedisCommandStats.PerRequest(commandsBefore, commandsAfter, result.Requests)}");
                Console.WriteLine("    " + note);
                var openLoop = await OpenLoopRow.MeasureAsync(o, [.. Enumerable.Range(0, Replicas).Select(i => new LoadedServer(urls[i], replicas[i].Id))], target, files[operation], result.RequestsPerSecond);
                rows.Add(new Row("broker", mode, operation, result) { OpenLoop = openLoop, Note = note });
            }

            return rows;
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The replicas' runs as one row: requests and errors summed, server CPU summed (so the rate per server CPU-second is
    /// per replica CPU-second), latency percentiles the worse replica's (wrk gives no histogram to merge).
    /// </summary>
    private static RunResult Combine(RunResult[] each) => new(
        each.Sum(r => r.Requests),
        each.Max(r => r.Seconds),
        each.Sum(r => r.Errors),
        each.Max(r => r.P50Ms),
        each.Max(r => r.P99Ms),
        each.Sum(r => r.WrkCpuShare),
        each.Sum(r => r.ServerCpuShare),
        Math.Max(0, each[0].OtherCpuShare - each.Skip(1).Sum(r => r.ServerCpuShare + r.WrkCpuShare)), // each run's "others" held the other replica and its wrk
        each.Max(r => r.ServerPeakRssBytes),
        each[0].LoadAverageBefore);

    private static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }
}
