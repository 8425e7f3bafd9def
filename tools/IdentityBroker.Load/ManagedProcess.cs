using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IdentityBroker.Load;

/// <summary>A child process the tool started (broker, HTTP floor, moto_server): its output goes to a log file, and it is killed on dispose.</summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ManagedProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The CPUs every server (broker, floor, moto_server, redis-server) is started on (--pin); null: wherever the OS puts it.</summary>
    public static string? ServerCpus { get; private set; }

    /// <summary>
    /// --pin SERVER:LOAD: this process's threads (and so wrk, its child, and the open-loop generator) move to the LOAD
    /// CPUs, and every server the tool starts runs on the SERVER CPUs (taskset), so that on a small machine the
    /// generator and the server stop taking each other's cores. Linux only (taskset, util-linux).
    /// </summary>
    public static void Pin(string serverCpus, string loadCpus)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", loadCpus, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("taskset did not start.");
        taskset.StandardOutput.ReadToEnd();
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset could not move the load tool to CPUs {loadCpus} (exit code {taskset.ExitCode}).");
        }

        ServerCpus = serverCpus;
    }

    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logPath)
    {
        // taskset execs the server in its own process, so Id is the server's pid either way.
        if (ServerCpus is not null)
        {
            arguments = ["-c", ServerCpus, fileName, .. arguments];
            fileName = "taskset";
        }

        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ManagedProcess(process, log);
    }

    /// <summary>A free loopback port (the OS picks it; the short race until the child binds it is accepted).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="url"/> until it answers (any status below 500) or the process exits.</summary>
    public async Task WaitUntilAnsweringAsync(Uri url, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {_process.ExitCode} before answering {url}.");
            }

            try
            {
                using var response = await client.GetAsync(url);
                if ((int)response.StatusCode < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} did not answer within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
