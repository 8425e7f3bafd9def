using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IdentityBroker.Load;

/// <summary>One measured row of the scale run.</summary>
/// <param name="Open">The same operation at a fixed offered rate, open loop (<see cref="ScaleFixedRate"/>).</param>
public sealed record ScaleRow(int Size, string Operation, RunResult Result, FixedRateResult Open);

/// <summary>What one store size took and weighed, besides its rows.</summary>
public sealed record ScaleSize(int Size, int ApiSeeded, double FillSeconds, long FileBytes, long IdleRssBytes, long PeakRssBytes, IReadOnlyList<string> Inspection, string Verified, (double WallMicros, double CpuMicros) Lookup);

/// <summary>
/// <c>--scale 1000,1000000</c> (the performance target "1 million identities", docs/performance.md): for each size N, a fresh data directory whose SQLite
/// store holds N OIDC identities of the tool's pool, then GetId (OIDC, identity exists) for users spread over the whole
/// range and GetId (guest, new identity), with the broker's peak RSS, the file size and the latency ratio between sizes.
/// <para>Filling: the broker creates the schema, provider, pool, roles and the first <see cref="ApiSeedUsers"/>
/// identities through the API, and is stopped; the remaining identities and their logins are inserted directly in the
/// SQLite file in one transaction with the store's own statements, copying the shape of the rows the broker wrote; the
/// broker is restarted and must find a few bulk-inserted users through GetId (same identity id, no new identity).</para>
/// </summary>
public static class ScaleRun
{
    private const string AdminKeyId = "AKIALOADTOOL00000001";
    private const string AdminSecret = "load-tool-secret-not-for-production-000000";
    private const int ApiSeedUsers = 100;

    // The performance targets at scale (docs/performance.md): GetId latency within 20 % of the smallest size's, resident memory under 300 MB.
    private const double MaxLatencyGrowth = 1.20;
    private const double MaxRssMb = 300;

    // The open-loop rate of each operation: this share of its wrk peak at the first size, then the same rate at every size.
    private const double OfferedShareOfPeak = 0.70;

    public static async Task<int> RunAsync(LoadOptions o, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(sizes);
        var brokerDll = Path.Combine(o.RepositoryRoot, "src", "IdentityBroker.Server", "bin", "Release", "net10.0", "IdentityBroker.Server.dll");
        if (!File.Exists(brokerDll))
        {
            Console.Error.WriteLine($"{brokerDll} is missing: dotnet build -c Release src/IdentityBroker.Server");
            return 2;
        }

        if (!Wrk.IsInstalled())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 2;
        }

        Directory.CreateDirectory(o.OutputDirectory);
        var script = Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua");
        var wrk = new Wrk(script, o.WrkThreads, o.Connections, o.DurationSeconds);
        var warmup = new Wrk(script, o.WrkThreads, o.Connections, o.WarmupSeconds);
        var machine = LoadRun.Machine();
        Console.WriteLine(machine);
        Console.WriteLine($"scale run: sizes {string.Join(", ", sizes)}; wrk -t{o.WrkThreads} -c{o.Connections} -d{o.DurationSeconds}s; {o.Users} tokens per size; output {o.OutputDirectory}");

        await using var idp = new OidcStandIn();
        await idp.StartAsync();
        var rows = new List<ScaleRow>();
        var done = new List<ScaleSize>();
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var size in sizes)
        {
            var (sizeRows, summary) = await MeasureSizeAsync(o, brokerDll, idp, size, wrk, warmup, rates);
            rows.AddRange(sizeRows);
            done.Add(summary);
        }

        var markdown = Markdown(machine, o, rows, done);
        File.WriteAllText(Path.Combine(o.OutputDirectory, "scale.md"), markdown);
        File.WriteAllText(Path.Combine(o.OutputDirectory, "scale.csv"), Csv(rows, done));
        Console.WriteLine();
        Console.WriteLine(markdown);
        return 0;
    }

    private static async Task<(List<ScaleRow> Rows, ScaleSize Summary)> MeasureSizeAsync(
        LoadOptions o, string dll, OidcStandIn idp, int size, Wrk wrk, Wrk warmup, Dictionary<string, double> rates)
    {
        var dir = Path.Combine(o.OutputDirectory, $"scale-{size}");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "data");
        var database = ScaleStore.DatabasePath(data);
        var seeded = Math.Min(ApiSeedUsers, size);
        Console.WriteLine($"[{size}] broker set-up through the API: provider, pool, roles, {seeded} identities...");
        string poolId;
        await using (var setup = await StartBrokerAsync(dll, data, Path.Combine(dir, "broker-setup.log")))
        {
            using var client = new AwsClient(setup.Url, AdminKeyId, AdminSecret);
            poolId = await LoadRun.CreateBrokerPoolAsync(client, idp);
            await Bodies.CreateIdentitiesAsync(client, poolId, idp.ProviderKey, idp.MintTokensFor(Enumerable.Range(0, seeded).ToArray(), TimeSpan.FromHours(1)), 8);
            await setup.StopAsync();
        }

        var seed = ScaleStore.ReadSeed(database, poolId, seeded);
        Console.WriteLine($"[{size}] rows the broker wrote (the shape copied): {seed.Example}");
        var probes = new[] { seeded, size / 4, size / 2, 3 * size / 4, size - 1 }.Where(u => u >= seeded && u < size).ToHashSet();
        var fill = Stopwatch.StartNew();
        var probeIds = ScaleStore.Fill(database, seed, seeded, size, probes, TimeProvider.System);
        fill.Stop();
        Console.WriteLine(FormattableString.Invariant($"[{size}] bulk-inserted {size - seeded} identities + logins in {fill.Elapsed.TotalSeconds:F1} s; file {ScaleStore.FileBytes(database) / 1048576.0:F1} MB"));

        // Users sampled uniformly (with replacement, fixed seed) from the whole range 0..N-1, so the lookups walk the
        // whole B-trees rather than the first pages.
        var random = new Random(size);
        var users = Enumerable.Range(0, o.Users).Select(_ => random.Next(size)).ToArray();
        var lookup = ScaleStore.LookupCost(database, seed, users);
        Console.WriteLine(FormattableString.Invariant($"[{size}] SQLite alone, GetId's statements per user (best of 5 warm passes, default 2 MB cache): {lookup.WallMicros:F1} µs wall, {lookup.CpuMicros:F1} µs CPU"));

        // Experiments for the store's owner (the broker does not set these by default): the same statements with a bigger
        // page cache, and with the file memory-mapped as Broker:SqliteMemoryMapMegabytes=256 does, so that the cost of
        // leaving SQLite's 2 MB cache at this size is visible.
        var experiments = new List<string>();
        foreach (var pragma in new[] { "PRAGMA cache_size = -65536;", "PRAGMA mmap_size = 268435456;" })
        {
            var cost = ScaleStore.LookupCost(database, seed, users, pragma);
            experiments.Add(FormattableString.Invariant($"SQLite alone with `{pragma}`: {cost.WallMicros:F1} µs wall, {cost.CpuMicros:F1} µs CPU per user"));
            Console.WriteLine($"[{size}] {experiments[^1]}");
        }

        await using var broker = await StartBrokerAsync(dll, data, Path.Combine(dir, "broker.log"));
        var verified = await VerifyAsync(broker, idp, poolId, probeIds, database, size);
        Console.WriteLine($"[{size}] {verified}");
        var fileBytes = ScaleStore.FileBytes(database);
        var plans = ScaleStore.Inspect(database, seed);
        foreach (var line in plans)
        {
            Console.WriteLine($"[{size}] {line}");
        }

        var inspection = plans.Concat(experiments).ToList();

        Console.WriteLine($"[{size}] minting {users.Length} tokens for users sampled from 0..{size - 1} ({users.Distinct().Count()} distinct)...");
        var tokens = idp.MintTokensFor(users, TimeSpan.FromHours(3));
        var oidcBodies = Bodies.Write(dir, Operation.GetIdOidc, tokens.Select(t => new { IdentityPoolId = poolId, Logins = Bodies.Logins(idp.ProviderKey, t) }));
        var guestBodies = Bodies.Write(dir, Operation.GetIdGuest, [new { IdentityPoolId = poolId }]);
        var idleRss = ProcStats.MemoryBytes(broker.Process.Id);

        var rows = new List<ScaleRow>();
        foreach (var (operation, bodies) in new[] { (Operation.GetIdOidc, oidcBodies), (Operation.GetIdGuest, guestBodies) })
        {
            await warmup.RunAsync(broker.Url, "AWSCognitoIdentityService.GetId", bodies, broker.Process.Id);
            var result = await wrk.RunAsync(broker.Url, "AWSCognitoIdentityService.GetId", bodies, broker.Process.Id);
            Console.WriteLine(FormattableString.Invariant(
                $"[{size}] {operation.Name,-30} {result.RequestsPerSecond,8:F0} req/s  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  errors {result.Errors}  RSS peak {result.ServerPeakRssBytes / 1048576.0:F0} MB  CPU server {result.ServerCpuShare:P0} wrk {result.WrkCpuShare:P0} others {result.OtherCpuShare:P0}  load {result.LoadAverageBefore}"));
            var rate = rates.TryGetValue(operation.Name, out var fixedRate) ? fixedRate : rates[operation.Name] = Math.Round(OfferedShareOfPeak * result.RequestsPerSecond);
            var open = await ScaleFixedRate.RunAsync(broker.Url, "AWSCognitoIdentityService.GetId", bodies, rate, TimeSpan.FromSeconds(o.DurationSeconds));
            Console.WriteLine(FormattableString.Invariant(
                $"[{size}] {operation.Name,-30} open loop at {rate:F0}/s: p50 {open.P50Ms,7:F2} ms  p99 {open.P99Ms,7:F2} ms  max {open.MaxMs,7:F2} ms  errors {open.Errors}/{open.Sent}  load {open.LoadAverageBefore}"));
            rows.Add(new ScaleRow(size, operation.Name, result, open));
        }

        var hwm = ProcStats.MemoryBytes(broker.Process.Id, "VmHWM");
        Console.WriteLine(FormattableString.Invariant($"[{size}] broker VmHWM {hwm / 1048576.0:F0} MB (idle after start {idleRss / 1048576.0:F0} MB)"));
        return (rows, new ScaleSize(size, seeded, fill.Elapsed.TotalSeconds, fileBytes, idleRss, hwm, inspection, verified, lookup));
    }

    /// <summary>The restarted broker must answer each probe user's GetId with the identity id inserted for it, and create none.</summary>
    private static async Task<string> VerifyAsync(RunningBroker broker, OidcStandIn idp, string poolId, Dictionary<int, string> probes, string database, int size)
    {
        using var client = new AwsClient(broker.Url, AdminKeyId, AdminSecret);
        var users = probes.Keys.Order().ToArray();
        var tokens = idp.MintTokensFor(users, TimeSpan.FromHours(1));
        for (var i = 0; i < users.Length; i++)
        {
            var reply = await client.CognitoAsync("GetId", new { IdentityPoolId = poolId, Logins = Bodies.Logins(idp.ProviderKey, tokens[i]) }, signed: false);
            var id = reply.GetProperty("IdentityId").GetString();
            if (id != probes[users[i]])
            {
                throw new InvalidOperationException($"GetId for bulk-inserted user-{users[i]} returned {id}, not the inserted {probes[users[i]]}.");
            }
        }

        var described = await client.CognitoAsync("DescribeIdentity", new { IdentityId = probes[users[^1]] });
        var logins = described.GetProperty("Logins").EnumerateArray().Select(l => l.GetString()).ToList();
        if (!logins.Contains(idp.ProviderKey))
        {
            throw new InvalidOperationException($"DescribeIdentity of a bulk-inserted identity lists logins [{string.Join(", ", logins)}].");
        }

        var count = ScaleStore.CountIdentities(database, poolId);
        return count == size
            ? $"verified: GetId of bulk-inserted users {string.Join(", ", users)} returned their inserted identity ids; DescribeIdentity lists the login; still {count} identities"
            : throw new InvalidOperationException($"The store holds {count} identities after verification, not {size}: GetId created new ones.");
    }

    private static async Task<RunningBroker> StartBrokerAsync(string dll, string data, string log)
    {
        var port = ManagedProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Broker__DataDirectory"] = data,
            ["Broker__Limits__GuestsPerAddressPerMinute"] = "0", // the rows measure the broker, not its limits (docs/limits.md)
            ["Broker__Sts__InProcess"] = "true",
            ["Broker__Tokens__Algorithm"] = "RS512",
            ["Broker__SeedDemoPool"] = "false",
            ["Broker__Admin__AccessKeyId"] = AdminKeyId,
            ["Broker__Admin__SecretAccessKey"] = AdminSecret,
        };
        var process = ManagedProcess.Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], environment, Path.GetDirectoryName(dll)!, log);
        var url = new Uri($"http://127.0.0.1:{port}/");
        await process.WaitUntilAnsweringAsync(new Uri(url, "/health/ready"), TimeSpan.FromSeconds(120));
        return new RunningBroker(process, url);
    }

    private static string Markdown(string machine, LoadOptions o, List<ScaleRow> rows, List<ScaleSize> sizes)
    {
        var md = new StringBuilder();
        md.AppendLine(machine);
        md.AppendLine(CultureInfo.InvariantCulture, $"Load: wrk -t{o.WrkThreads} -c{o.Connections} -d{o.DurationSeconds}s per row (after a {o.WarmupSeconds} s warm-up run), {o.Users} pre-minted tokens per size for users sampled uniformly from the whole range, loopback, broker Release, SQLite store, in-process STS.");
        md.AppendLine();
        md.AppendLine("| identities | operation | req/s | p50 ms | p99 ms | errors | peak RSS during run MB | CPU server / wrk / others | req per server CPU-s | load average before |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in rows)
        {
            var x = r.Result;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Size:N0} | {r.Operation} | {x.RequestsPerSecond:F0} | {x.P50Ms:F2} | {x.P99Ms:F2} | {x.Errors} | {x.ServerPeakRssBytes / 1048576.0:F0} | {x.ServerCpuShare:F2} / {x.WrkCpuShare:F2} / {x.OtherCpuShare:F2} | {x.RequestsPerServerCpuSecond:F0} | {x.LoadAverageBefore} |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Open loop (fixed offered rate: {OfferedShareOfPeak:P0} of each operation's wrk peak at the first size, the same rate at every size; latency from each request's due time):");
        md.AppendLine();
        md.AppendLine("| identities | operation | offered req/s | sent | p50 ms | p99 ms | max ms | errors | load average before |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var x = r.Open;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Size:N0} | {r.Operation} | {x.OfferedPerSecond:F0} | {x.Sent} | {x.P50Ms:F2} | {x.P99Ms:F2} | {x.MaxMs:F2} | {x.Errors} | {x.LoadAverageBefore} |");
        }

        md.AppendLine();
        md.AppendLine("| identities | seeded through the API | bulk fill s | SQLite file (db + wal + shm) MB | broker RSS idle after start MB | broker VmHWM after the runs MB | SQLite alone: GetId statements µs/user wall / CPU |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in sizes)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Size:N0} | {s.ApiSeeded} | {s.FillSeconds:F1} | {s.FileBytes / 1048576.0:F1} | {s.IdleRssBytes / 1048576.0:F0} | {s.PeakRssBytes / 1048576.0:F0} | {s.Lookup.WallMicros:F1} / {s.Lookup.CpuMicros:F1} |");
        }

        if (sizes.Count >= 2)
        {
            var (small, large) = (sizes.Min(z => z.Size), sizes.Max(z => z.Size));
            md.AppendLine();
            foreach (var operation in rows.Select(r => r.Operation).Distinct())
            {
                var a = rows.Single(r => r.Size == small && r.Operation == operation).Result;
                var b = rows.Single(r => r.Size == large && r.Operation == operation).Result;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- {operation}, {large:N0} ÷ {small:N0}: p50 ×{b.P50Ms / a.P50Ms:F2}, p99 ×{b.P99Ms / a.P99Ms:F2}, req/s ×{b.RequestsPerSecond / a.RequestsPerSecond:F2}, req per server CPU-s ×{b.RequestsPerServerCpuSecond / a.RequestsPerServerCpuSecond:F2}");
                var (c, d) = (rows.Single(r => r.Size == small && r.Operation == operation).Open, rows.Single(r => r.Size == large && r.Operation == operation).Open);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"  - open loop at {c.OfferedPerSecond:F0}/s: p50 ×{d.P50Ms / c.P50Ms:F2}, p99 ×{d.P99Ms / c.P99Ms:F2}; target (open loop) latency within 20 %: {Verdict(d.P50Ms / c.P50Ms <= MaxLatencyGrowth && d.P99Ms / c.P99Ms <= MaxLatencyGrowth)}");
            }

            var peak = sizes.First(z => z.Size == large).PeakRssBytes / 1048576.0;
            md.AppendLine(CultureInfo.InvariantCulture, $"- target: broker resident memory under {MaxRssMb} MB at {large:N0}: VmHWM {peak:F0} MB, {Verdict(peak < MaxRssMb)}");

            var (x, y) = (sizes.First(z => z.Size == small).Lookup, sizes.First(z => z.Size == large).Lookup);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"- SQLite alone (GetId's statements, same sampled users), {large:N0} ÷ {small:N0}: wall ×{y.WallMicros / x.WallMicros:F2}, CPU ×{y.CpuMicros / x.CpuMicros:F2}");
        }

        md.AppendLine();
        foreach (var s in sizes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {s.Size:N0}: {s.Verified}");
            foreach (var line in s.Inspection)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"  - {line}");
            }
        }

        return md.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    private static string Csv(List<ScaleRow> rows, List<ScaleSize> sizes)
    {
        var csv = new StringBuilder("identities,operation,requests_per_s,p50_ms,p99_ms,errors,run_peak_rss_mb,server_cpu,wrk_cpu,other_cpu,req_per_server_cpu_s,load_before,file_mb,vmhwm_mb,fill_s,sqlite_lookup_wall_us,sqlite_lookup_cpu_us,open_rate,open_p50_ms,open_p99_ms,open_max_ms,open_errors,open_load_before\n");
        foreach (var r in rows)
        {
            var x = r.Result;
            var s = sizes.Single(z => z.Size == r.Size);
            csv.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Size},\"{r.Operation}\",{x.RequestsPerSecond:F1},{x.P50Ms:F3},{x.P99Ms:F3},{x.Errors},{x.ServerPeakRssBytes / 1048576.0:F1},{x.ServerCpuShare:F3},{x.WrkCpuShare:F3},{x.OtherCpuShare:F3},{x.RequestsPerServerCpuSecond:F0},\"{x.LoadAverageBefore}\",{s.FileBytes / 1048576.0:F1},{s.PeakRssBytes / 1048576.0:F1},{s.FillSeconds:F1},{s.Lookup.WallMicros:F1},{s.Lookup.CpuMicros:F1},{r.Open.OfferedPerSecond:F0},{r.Open.P50Ms:F3},{r.Open.P99Ms:F3},{r.Open.MaxMs:F3},{r.Open.Errors},\"{r.Open.LoadAverageBefore}\"");
        }

        return csv.ToString();
    }

    /// <summary>A broker child process and its URL; stopped with SIGTERM (graceful, the store checkpoints and closes).</summary>
    private sealed class RunningBroker(ManagedProcess process, Uri url) : IAsyncDisposable
    {
        public ManagedProcess Process { get; } = process;

        public Uri Url { get; } = url;

        public async Task StopAsync()
        {
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var deadline = Stopwatch.StartNew();
            while (!Process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            if (!Process.HasExited)
            {
                throw new TimeoutException("The broker did not stop within 30 s of SIGTERM.");
            }
        }

        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
