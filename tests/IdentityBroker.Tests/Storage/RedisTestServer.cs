using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Testcontainers.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// A real Redis for tests: <c>REDIS_URL</c> when set; else a Testcontainers Redis when a Docker engine answers;
/// else <c>redis-server</c> from PATH on a free loopback port in a temporary folder (test.sh installs it).
/// </summary>
internal sealed class RedisTestServer : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owned;

    private RedisTestServer(string configuration, string source, IAsyncDisposable? owned)
    {
        Configuration = configuration;
        Source = source;
        _owned = owned;
    }

    /// <summary>A StackExchange.Redis configuration string.</summary>
    public string Configuration { get; }

    /// <summary>Where the server came from, for the test log.</summary>
    public string Source { get; }

    public static async Task<RedisTestServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("REDIS_URL") is { Length: > 0 } url)
        {
            return new RedisTestServer(FromUrl(url), "REDIS_URL", null);
        }

        if (DockerEngineMayAnswer())
        {
            try
            {
                var container = new RedisBuilder("redis:7.2-alpine").Build();
                await container.StartAsync();
                return new RedisTestServer(container.GetConnectionString(), "Testcontainers", container);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await TestContext.Progress.WriteLineAsync($"Docker did not start Redis ({e.GetType().Name}); using redis-server from PATH.");
            }
        }

        var local = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        return new RedisTestServer(local.Configuration, "redis-server from PATH", local);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }

    /// <summary><c>redis://[user:password@]host:port[/db]</c>, <c>rediss://…</c> (TLS), or a configuration string as is.</summary>
    internal static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss"))
        {
            return url;
        }

        var parts = new List<string> { $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}" };
        if (uri.UserInfo.Length > 0)
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo);
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                parts.Add($"user={userInfo[..colon]}");
            }

            parts.Add($"password={(colon >= 0 ? userInfo[(colon + 1)..] : userInfo)}");
        }

        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db)
        {
            parts.Add($"defaultDatabase={db}");
        }

        if (uri.Scheme == "rediss")
        {
            parts.Add("ssl=true");
        }

        return string.Join(',', parts);
    }

    /// <summary>A quick local check, so that a machine without Docker does not wait for Testcontainers' probing.</summary>
    private static bool DockerEngineMayAnswer() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 }
        || File.Exists("/var/run/docker.sock")
        || File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "run", "docker.sock"));
}

/// <summary>A <c>redis-server</c> process of this test run, with AOF on, that can be killed (-9) and restarted on its data.</summary>
internal sealed class LocalRedisServer : IAsyncDisposable
{
    private readonly bool _appendFsyncAlways;
    private Process? _process;

    private LocalRedisServer(int port, string directory, bool appendFsyncAlways)
    {
        Port = port;
        Directory = directory;
        _appendFsyncAlways = appendFsyncAlways;
    }

    public int Port { get; }

    public string Directory { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    /// <param name="appendFsyncAlways">fsync the AOF before every reply (durability tests); else once a second.</param>
    public static async Task<LocalRedisServer> StartAsync(bool appendFsyncAlways)
    {
        var server = Prepare(appendFsyncAlways);
        await server.RestartAsync();
        return server;
    }

    /// <summary>A free port and data folder with no server yet (<see cref="RestartAsync"/> starts it): "Redis is down".</summary>
    public static LocalRedisServer Prepare(bool appendFsyncAlways) =>
        new(FreeLoopbackPort(), System.IO.Directory.CreateTempSubdirectory("ib-redis-").FullName, appendFsyncAlways);

    /// <summary>Starts the server (again) on the same port and data folder; returns once it answers PING.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("redis-server is running.");
        }

        var start = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", Directory, "--save", "", "--appendonly", "yes",
            "--appendfsync", _appendFsyncAlways ? "always" : "everysec", "--protected-mode", "no", "--daemonize", "no",
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not on PATH: run ./test.sh (it installs it) or set REDIS_URL.", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPingAsync();
    }

    /// <summary>SIGKILL: no shutdown save, no AOF rewrite; what survives is what the AOF already held.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task WaitForPingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (IOException)
            {
                // Still loading the AOF.
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException("redis-server did not answer PING within 20 s.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
