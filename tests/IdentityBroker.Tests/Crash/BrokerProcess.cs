using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IdentityBroker.Tests.Replicas;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The broker as its own OS process: <c>dotnet IdentityBroker.Server.dll</c> from the test output folder (the
/// ProjectReference copies the server with its runtimeconfig and deps there), so that it can be SIGKILLed.
/// </summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BrokerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "IdentityBroker.Server.dll");

    public int Id => _process.Id;

    public bool IsRunning => !_process.HasExited;

    /// <param name="settings">Broker configuration as environment variables (<c>Broker__Store</c>…).</param>
    /// <param name="descriptorLimit">When set, the broker runs under <c>prlimit --nofile</c> with this soft and hard limit.</param>
    /// <param name="waitUntilReady">False returns as soon as the process runs (to kill it during its start-up).</param>
    public static async Task<BrokerProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? descriptorLimit = null, bool waitUntilReady = true)
    {
        var url = $"http://127.0.0.1:{FreeLoopbackPort()}";
        var start = new ProcessStartInfo(descriptorLimit is null ? "dotnet" : "prlimit")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (descriptorLimit is { } limit)
        {
            start.ArgumentList.Add($"--nofile={limit}:{limit}");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(ServerDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Broker__Issuer"] = BrokerReplica.Issuer;
        start.Environment["Broker__SeedDemoPool"] = "false";
        start.Environment["Broker__Admin__AccessKeyId"] = BrokerReplica.AccessKeyId;
        start.Environment["Broker__Admin__SecretAccessKey"] = BrokerReplica.Secret;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var broker = new BrokerProcess(process, new Uri(url));
        process.OutputDataReceived += (_, e) => broker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => broker.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitUntilReady)
        {
            await broker.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }

        return broker;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hook, no flush; requests in flight are cut.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < within)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The broker exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await KillAsync();
        throw new InvalidOperationException($"The broker did not become ready within {within}:\n{Output}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
