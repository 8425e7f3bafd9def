using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IdentityBroker.Load.Mixed;

/// <summary>
/// <c>--mixed N</c> (issue 17): N requests against one broker, 1% malformed (<see cref="MalformedRequests"/>), the rest
/// alternating between a client's real calls on the run's resources (<see cref="MixedResources.Scenario"/>) and one request
/// per operation of every service model (<see cref="ModelRequests"/>), all at once over the connections. Replies are
/// counted by status class per service; any 5xx or failed connection makes the exit code 1.
/// </summary>
public static class MixedRun
{
    private const string AdminKeyId = "AKIAMIXEDRUN00000001";
    private const string AdminSecret = "mixed-run-secret-not-for-production-00000";
    private const int ExamplesKept = 20;

    public static async Task<int> RunAsync(LoadOptions o, int total)
    {
        ArgumentNullException.ThrowIfNull(o);
        var brokerDll = Path.Combine(o.RepositoryRoot, "src", "IdentityBroker.Server", "bin", "Release", "net10.0", "IdentityBroker.Server.dll");
        if (!File.Exists(brokerDll))
        {
            Console.Error.WriteLine($"{brokerDll} is missing: dotnet build -c Release src/IdentityBroker.Server");
            return 2;
        }

        var dir = Directory.CreateDirectory(Path.Combine(o.OutputDirectory, "mixed")).FullName;
        var port = ManagedProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Broker__DataDirectory"] = Path.Combine(dir, "data"),
            ["Broker__SeedDemoPool"] = "false",
            ["Broker__Admin__AccessKeyId"] = AdminKeyId,
            ["Broker__Admin__SecretAccessKey"] = AdminSecret,
        };
        Console.WriteLine(LoadRun.Machine());
        Console.WriteLine($"Mixed run: {total} requests, 1% malformed, {o.Connections} connections; broker (Release, SQLite) on port {port}");
        await using var idp = new OidcStandIn();
        await idp.StartAsync();
        var logPath = Path.Combine(dir, "broker.log");
        await using var broker = ManagedProcess.Start("dotnet", [brokerDll, "--urls", $"http://127.0.0.1:{port}"], environment, Path.GetDirectoryName(brokerDll)!, logPath);
        var url = new Uri($"http://127.0.0.1:{port}/");
        // Three minutes: on the shared 2-core machine under load a cold Release broker took over one to answer.
        await broker.WaitUntilAnsweringAsync(new Uri(url, "/health/ready"), TimeSpan.FromMinutes(3));

        using var client = new AwsClient(url, AdminKeyId, AdminSecret);
        var resources = await MixedResources.CreateAsync(client, idp);
        var models = new ModelRequests(Path.Combine(o.RepositoryRoot, "tests", "IdentityBroker.Tests", "Validation", "ModelFacts"), resources).All;
        var scenario = resources.Scenario();
        Console.WriteLine($"  {models.Count} model operations, {scenario.Count} scenario calls, {MalformedRequests.All.Count} malformations");

        var tally = new Tally();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = o.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, o.Connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await SendAsync(http, client, Pick(i, scenario, models), tally);
            }
        });
        await Task.WhenAll(workers);
        clock.Stop();

        var logBytes = new FileInfo(logPath).Length;
        var report = tally.Report(total, clock.Elapsed, o.Connections, logBytes, models.Count, scenario.Count);
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(dir, "mixed.md"), report);
        Console.WriteLine($"Report: {Path.Combine(dir, "mixed.md")}");
        return tally.Failed ? 1 : 0;
    }

    /// <summary>Request <paramref name="i"/>: every hundredth malformed, otherwise scenario and model requests in turn.</summary>
    private static MixedRequest Pick(int i, IReadOnlyList<MixedRequest> scenario, List<MixedRequest> models)
    {
        if (i % 100 == 99)
        {
            var victim = (i / 100) % 2 == 0 ? scenario[(i / 200) % scenario.Count] : models[(i / 200) % models.Count];
            return MalformedRequests.Break(victim, i / 100);
        }

        return i % 2 == 0 ? scenario[(i / 2) % scenario.Count] : models[(i / 2) % models.Count];
    }

    private static async Task SendAsync(HttpClient http, AwsClient signer, MixedRequest request, Tally tally)
    {
        try
        {
            using var message = signer.Request(request.Method, request.Path, request.Body, request.Headers, request.SigningService ?? string.Empty,
                request.SigningService is not null, request.SignedBody);
            using var response = await http.SendAsync(message);
            var status = (int)response.StatusCode;
            var text = status >= 500 ? await response.Content.ReadAsStringAsync() : null;
            if (text is null)
            {
                await response.Content.CopyToAsync(Stream.Null);
            }

            tally.Add(request, status, text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            tally.Add(request, 0, e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>Replies by group and status class; the first 5xx and connection failures kept as examples.</summary>
    private sealed class Tally
    {
        private static readonly string[] Classes = ["2xx", "3xx", "4xx", "5xx", "no reply"];
        private readonly Dictionary<string, long[]> _counts = new(StringComparer.Ordinal);
        private readonly List<string> _examples = [];

        public bool Failed { get; private set; }

        public void Add(MixedRequest request, int status, string? detail)
        {
            var index = status == 0 ? 4 : Math.Clamp(status / 100 - 2, 0, 3);
            lock (_counts)
            {
                if (!_counts.TryGetValue(request.Group, out var row))
                {
                    _counts[request.Group] = row = new long[Classes.Length];
                }

                row[index]++;
                if (index >= 3)
                {
                    Failed = true;
                    if (_examples.Count < ExamplesKept)
                    {
                        var shown = detail is null ? string.Empty : detail[..Math.Min(detail.Length, 300)];
                        _examples.Add($"- {status} {request.Group} {request.Label}: {shown}");
                    }
                }
            }
        }

        public string Report(int total, TimeSpan elapsed, int connections, long logBytes, int modelOperations, int scenarioCalls)
        {
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"{total} requests in {elapsed.TotalSeconds:F1} s ({total / elapsed.TotalSeconds:F0}/s), {connections} connections; {modelOperations} model operations, {scenarioCalls} scenario calls, {MalformedRequests.All.Count} malformations");
            text.AppendLine();
            text.AppendLine("| group | " + string.Join(" | ", Classes) + " |");
            text.AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", Classes.Length)));
            var sums = new long[Classes.Length];
            foreach (var (group, row) in _counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"| {group} | " + string.Join(" | ", row.Select(c => c.ToString(CultureInfo.InvariantCulture))) + " |");
                for (var k = 0; k < row.Length; k++)
                {
                    sums[k] += row[k];
                }
            }

            text.AppendLine("| **all** | " + string.Join(" | ", sums.Select(c => $"**{c.ToString(CultureInfo.InvariantCulture)}**")) + " |");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"5xx: {sums[3]}; no reply: {sums[4]}; broker log: {logBytes} bytes");
            foreach (var example in _examples)
            {
                text.AppendLine(example);
            }

            return text.ToString();
        }
    }
}
