using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// A 3-master Redis Cluster of this test run: three <c>redis-server --cluster-enabled yes</c> on loopback ports in
/// a temporary folder, joined with <c>redis-cli --cluster create</c>; stopped (SIGKILL) and deleted afterwards.
/// </summary>
internal sealed class LocalRedisCluster : IAsyncDisposable
{
    private const int Masters = 3;

    private readonly List<Process> _processes = [];
    private readonly string _directory;
    private readonly List<int> _ports = [];

    private LocalRedisCluster(string directory) => _directory = directory;

    /// <summary>A StackExchange.Redis configuration string naming every node.</summary>
    public string Configuration => string.Join(',', _ports.Select(p => $"127.0.0.1:{p}"));

    /// <exception cref="InvalidOperationException">The cluster could not be formed; the message says why.</exception>
    public static async Task<LocalRedisCluster> StartAsync()
    {
        var cluster = new LocalRedisCluster(Directory.CreateTempSubdirectory("ib-redis-cluster-").FullName);
        try
        {
            for (var i = 0; i < Masters; i++)
            {
                cluster.StartNode(PortWithFreeBusPort());
            }

            foreach (var port in cluster._ports)
            {
                await WaitForAsync(() => RedisCliAsync("-p", Text(port), "PING"), "PONG", $"node {port} did not answer PING");
            }

            var create = new List<string> { "--cluster", "create" };
            create.AddRange(cluster._ports.Select(p => $"127.0.0.1:{p}"));
            create.AddRange(["--cluster-replicas", "0", "--cluster-yes"]);
            var created = await RedisCliAsync([.. create]);
            if (!created.Contains("All 16384 slots covered", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"redis-cli --cluster create did not cover every slot:\n{created}");
            }

            foreach (var port in cluster._ports)
            {
                await WaitForAsync(() => RedisCliAsync("-p", Text(port), "CLUSTER", "INFO"), "cluster_state:ok", $"node {port} never reported cluster_state:ok");
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private void StartNode(int port)
    {
        var directory = Path.Combine(_directory, Text(port));
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", Text(port), "--bind", "127.0.0.1", "--dir", directory, "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no",
            "--protected-mode", "no", "--daemonize", "no",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not on PATH: run ./test.sh (it installs it).", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        _ports.Add(port);
    }

    private static async Task WaitForAsync(Func<Task<string>> probe, string expected, string failure)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = "";
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            last = await probe();
            if (last.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"{failure} within 20 s (last answer: {last.Trim()})");
    }

    private static async Task<string> RedisCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    private static int PortWithFreeBusPort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = FreePort(IPAddress.Loopback, 0);
            if (port + 10000 <= 65535 && FreePort(IPAddress.Loopback, port + 10000) > 0)
            {
                return port;
            }
        }

        throw new InvalidOperationException("No loopback port with a free cluster bus port (port + 10000) was found.");
    }

    private static int FreePort(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        catch (SocketException)
        {
            return 0;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
