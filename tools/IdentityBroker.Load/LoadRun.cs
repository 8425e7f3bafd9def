using System.Globalization;
using System.Runtime.InteropServices;

namespace IdentityBroker.Load;

/// <summary>One measured row of the report: its peak (wrk) and, when measured, its latency at a fixed share of that peak (open loop).</summary>
public sealed record Row(string Target, string StsMode, Operation Operation, RunResult Result)
{
    public OpenLoop.OpenLoopResult? OpenLoop { get; init; }

    /// <summary>The verified-token cache's hit rate during the measured wrk run, "n/a" when the broker shows no such counter.</summary>
    public string CacheHitRate { get; init; } = "n/a";

    /// <summary>What else the row needs said (the Redis rows: redis-server's own CPU).</summary>
    public string Note { get; init; } = string.Empty;
}

/// <summary>The whole run: crypto bound, HTTP floor, the broker in each STS mode, moto_server; then the report.</summary>
public static class LoadRun
{
    internal const string AdminKeyId = "AKIALOADTOOL00000001";
    internal const string AdminSecret = "load-tool-secret-not-for-production-000000";
    internal const int SetupParallelism = 32;
    private const int MotoUsers = 300;

    public static async Task<int> RunAsync(LoadOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var brokerDll = Path.Combine(o.RepositoryRoot, "src", "IdentityBroker.Server", "bin", "Release", "net10.0", "IdentityBroker.Server.dll");
        var floorDll = Path.Combine(o.RepositoryRoot, "tools", "HttpFloor", "bin", "Release", "net10.0", "HttpFloor.dll");
        foreach (var dll in new[] { brokerDll, floorDll })
        {
            if (!File.Exists(dll))
            {
                Console.Error.WriteLine($"{dll} is missing: dotnet build -c Release src/IdentityBroker.Server tools/HttpFloor");
                return 2;
            }
        }

        if (!Wrk.IsInstalled())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 2;
        }

        Directory.CreateDirectory(o.OutputDirectory);
        var wrk = new Wrk(Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua"), o.WrkThreads, o.Connections, o.DurationSeconds);
        var warmup = new Wrk(Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua"), o.WrkThreads, o.Connections, o.WarmupSeconds);
        var machine = Machine();
        Console.WriteLine(machine);
        Console.WriteLine($"wrk -t{o.WrkThreads} -c{o.Connections} -d{o.DurationSeconds}s; {o.Users} OIDC users; output {o.OutputDirectory}");

        Console.WriteLine("Crypto bound (RSA-2048 and ECDSA P-256, one thread per core, 2 s each)...");
        var (crypto, cryptoPerCpu) = CryptoRates.Measure(TimeSpan.FromSeconds(2));
        Console.WriteLine(FormattableString.Invariant(
            $"  RS256 sign {crypto.Rs256Sign:F0}/s verify {crypto.Rs256Verify:F0}/s; RS512 sign {crypto.Rs512Sign:F0}/s verify {crypto.Rs512Verify:F0}/s ; ES256 sign {crypto.Es256Sign:F0}/s verify {crypto.Es256Verify:F0}/s"));

        await using var idp = new OidcStandIn();
        await idp.StartAsync();
        Console.WriteLine($"OIDC stand-in at {idp.Issuer}; minting {o.Users} tokens...");
        var minting = System.Diagnostics.Stopwatch.StartNew();
        var tokens = idp.MintTokens(o.Users, TimeSpan.FromHours(3));
        Console.WriteLine(FormattableString.Invariant($"  minted in {minting.Elapsed.TotalSeconds:F1} s"));

        var rows = new List<Row>();
        rows.Add(await MeasureFloorAsync(o, floorDll, idp, tokens, wrk, warmup));
        foreach (var mode in o.StsModes)
        {
            var operations = Operation.For(mode, first: mode == o.StsModes[0]).Where(o.Measures).ToList();
            if (operations.Count == 0)
            {
                Console.WriteLine($"Broker mode {mode}: no operation selected by --ops, skipped.");
                continue;
            }

            rows.AddRange(RedisRun.Is(mode)
                ? await RedisRun.MeasureAsync(o, mode, brokerDll, idp, tokens, operations)
                : await MeasureBrokerAsync(o, brokerDll, mode, idp, tokens, operations, wrk, warmup));
        }

        var motoNote = o.Moto ? await MeasureMotoAsync(o, idp, tokens, wrk, warmup, rows) : "moto_server: skipped (--no-moto)";
        Console.WriteLine(motoNote);
        var report = new Report(rows, crypto, cryptoPerCpu, machine, o, motoNote);
        report.Write();
        return 0;
    }

    private static async Task<Row> MeasureFloorAsync(LoadOptions o, string dll, OidcStandIn idp, string[] tokens, Wrk wrk, Wrk warmup)
    {
        var port = ManagedProcess.FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(o.OutputDirectory, "floor")).FullName;
        await using var floor = ManagedProcess.Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>(), Path.GetDirectoryName(dll)!, Path.Combine(dir, "floor.log"));
        var url = new Uri($"http://127.0.0.1:{port}/");
        await floor.WaitUntilAnsweringAsync(new Uri(url, "/health/live"), TimeSpan.FromSeconds(60));

        // The same body sizes as GetId (OIDC): a pool id of the real length and the real tokens.
        var fakePool = "us-east-1:00000000-0000-0000-0000-000000000000";
        var bodies = Bodies.Write(dir, Operation.GetIdOidc, tokens.Select(t => new { IdentityPoolId = fakePool, Logins = Bodies.Logins(idp.ProviderKey, t) }));
        Console.WriteLine("HTTP floor...");
        await warmup.RunAsync(url, "AWSCognitoIdentityService.GetId", bodies, floor.Id);
        var result = await wrk.RunAsync(url, "AWSCognitoIdentityService.GetId", bodies, floor.Id);
        Print("floor", "-", "constant JSON reply", result);
        var openLoop = await OpenLoop.OpenLoopRow.MeasureAsync(o, [new(url, floor.Id)], "AWSCognitoIdentityService.GetId", bodies, result.RequestsPerSecond);
        return new Row("http-floor", "-", new Operation("HTTP floor (constant reply)", "GetId", "floor", new SignatureCost(0, 0, 0)), result) { OpenLoop = openLoop };
    }

    private static async Task<List<Row>> MeasureBrokerAsync(
        LoadOptions o, string dll, string mode, OidcStandIn idp, string[] tokens, IReadOnlyList<Operation> operations, Wrk wrk, Wrk warmup)
    {
        var port = ManagedProcess.FreePort();
        var dir = Path.Combine(o.OutputDirectory, "broker-" + mode);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var environment = BrokerEnvironment(mode, Path.Combine(dir, "data"));
        Console.WriteLine($"Broker (Release, SQLite, embedded STS, Broker__Sts__InProcess={environment["Broker__Sts__InProcess"]}, Broker__Tokens__Algorithm={environment["Broker__Tokens__Algorithm"]}) on port {port}...");
        await using var broker = ManagedProcess.Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"], environment, Path.GetDirectoryName(dll)!, Path.Combine(dir, "broker.log"));
        var url = new Uri($"http://127.0.0.1:{port}/");
        await broker.WaitUntilAnsweringAsync(new Uri(url, "/health/ready"), TimeSpan.FromSeconds(60));

        using var client = new AwsClient(url, AdminKeyId, AdminSecret);
        var poolId = await CreateBrokerPoolAsync(client, idp);
        Console.WriteLine($"  pool {poolId}; creating {tokens.Length} OIDC identities (set-up, not measured)...");
        var ids = await Bodies.CreateIdentitiesAsync(client, poolId, idp.ProviderKey, tokens, SetupParallelism);
        var files = WriteBodies(dir, poolId, idp.ProviderKey, tokens, ids);
        files[Operation.CredentialsOidcEs256] = files[Operation.CredentialsOidc];
        files[Operation.CredentialsOidcOverHop] = files[Operation.CredentialsOidc];
        files[Operation.CredentialsOidcEs256OverHop] = files[Operation.CredentialsOidc];
        files[Operation.OpenIdTokenOidcEs256] = files[Operation.OpenIdTokenOidc];

        var rows = new List<Row>();
        foreach (var operation in operations)
        {
            var target = "AWSCognitoIdentityService." + operation.Target;
            await warmup.RunAsync(url, target, files[operation], broker.Id);
            var before = await CacheCounts.ScrapeAsync(url);
            var result = await wrk.RunAsync(url, target, files[operation], broker.Id);
            var after = await CacheCounts.ScrapeAsync(url);
            Print("broker", mode, operation.Name, result);
            var openLoop = await OpenLoop.OpenLoopRow.MeasureAsync(o, [new(url, broker.Id)], target, files[operation], result.RequestsPerSecond);
            rows.Add(new Row("broker", mode, operation, result) { OpenLoop = openLoop, CacheHitRate = CacheCounts.HitRate(before, after) });
        }

        var hwm = ProcStats.MemoryBytes(broker.Id, "VmHWM");
        Console.WriteLine(FormattableString.Invariant($"  broker VmHWM (peak RSS since start, includes set-up) {hwm / 1048576.0:F0} MB"));
        return rows;
    }

    /// <summary>The broker's configuration for one mode of the run (a fresh data directory each time).</summary>
    internal static Dictionary<string, string> BrokerEnvironment(string mode, string dataDirectory)
    {
        var environment = new Dictionary<string, string>
        {
            ["Broker__DataDirectory"] = dataDirectory,
            ["Broker__Sts__InProcess"] = mode.StartsWith("http", StringComparison.Ordinal) ? "false" : "true",
            ["Broker__Tokens__Algorithm"] = mode.EndsWith("-es256", StringComparison.Ordinal) ? "ES256" : "RS512",
            ["Broker__SeedDemoPool"] = "false",
            ["Broker__Limits__GuestsPerAddressPerMinute"] = "0", // the rows measure the broker, not its guest quota (docs/limits.md)
            ["Broker__Admin__AccessKeyId"] = AdminKeyId,
            ["Broker__Admin__SecretAccessKey"] = AdminSecret,

            // The "-noaudit" modes measure what the audit trail costs (docs/performance.md, "Audit trail").
            ["Broker__Audit__Enabled"] = mode.EndsWith("-noaudit", StringComparison.Ordinal) ? "false" : "true",

            // The "-nometrics" modes measure what /metrics' meters cost (docs/metrics.md, "Cost").
            ["Broker__Metrics__Enabled"] = mode.EndsWith("-nometrics", StringComparison.Ordinal) ? "false" : "true",
        };

        // The "-nocache" modes turn the verified-token cache off, so that the login rows show what they cost with no hits.
        if (mode.EndsWith("-nocache", StringComparison.Ordinal))
        {
            environment["Broker__Tokens__VerifiedTokenCacheSize"] = "0";
        }

        return environment;
    }

    internal static async Task<string> CreateBrokerPoolAsync(AwsClient client, OidcStandIn idp)
    {
        var providerArn = await client.IamAsync(new Dictionary<string, string>
        {
            ["Action"] = "CreateOpenIDConnectProvider",
            ["Url"] = idp.Issuer,
            ["ClientIDList.member.1"] = OidcStandIn.ClientId,
        }, "OpenIDConnectProviderArn");
        var pool = await client.CognitoAsync("CreateIdentityPool", new
        {
            IdentityPoolName = "load",
            AllowUnauthenticatedIdentities = true,
            OpenIdConnectProviderARNs = new[] { providerArn },
        });
        var poolId = pool.GetProperty("IdentityPoolId").GetString()!;
        var roles = new Dictionary<string, string>();
        foreach (var kind in new[] { "authenticated", "unauthenticated" })
        {
            roles[kind] = await client.IamAsync(new Dictionary<string, string>
            {
                ["Action"] = "CreateRole",
                ["RoleName"] = "Load_" + kind,
                ["AssumeRolePolicyDocument"] = TrustPolicy(poolId, kind),
            }, "Arn");
        }

        await client.CognitoAsync("SetIdentityPoolRoles", new { IdentityPoolId = poolId, Roles = roles });
        return poolId;
    }

    /// <summary>The trust policy the Cognito developer guide shows (aud = pool id, amr = authenticated/unauthenticated).</summary>
    private static string TrustPolicy(string poolId, string amr) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new
            {
                Effect = "Allow",
                Principal = new { Federated = "cognito-identity.amazonaws.com" },
                Action = "sts:AssumeRoleWithWebIdentity",
                Condition = new Dictionary<string, Dictionary<string, string>>
                {
                    ["StringEquals"] = new() { ["cognito-identity.amazonaws.com:aud"] = poolId },
                    ["ForAnyValue:StringLike"] = new() { ["cognito-identity.amazonaws.com:amr"] = amr },
                },
            },
        },
    });

    internal static Dictionary<Operation, string> WriteBodies(string dir, string poolId, string providerKey, string[] tokens, string[] ids)
    {
        var users = Enumerable.Range(0, ids.Length).ToList();
        return new Dictionary<Operation, string>
        {
            [Operation.GetIdGuest] = Bodies.Write(dir, Operation.GetIdGuest, [new { IdentityPoolId = poolId }]),
            [Operation.GetIdOidc] = Bodies.Write(dir, Operation.GetIdOidc, users.Select(i => new { IdentityPoolId = poolId, Logins = Bodies.Logins(providerKey, tokens[i]) })),
            [Operation.CredentialsOidc] = Bodies.Write(dir, Operation.CredentialsOidc, users.Select(i => new { IdentityId = ids[i], Logins = Bodies.Logins(providerKey, tokens[i]) })),
            [Operation.OpenIdTokenOidc] = Bodies.Write(dir, Operation.OpenIdTokenOidc, users.Select(i => new { IdentityId = ids[i], Logins = Bodies.Logins(providerKey, tokens[i]) })),
        };
    }

    private static async Task<string> MeasureMotoAsync(LoadOptions o, OidcStandIn idp, string[] tokens, Wrk wrk, Wrk warmup, List<Row> rows)
    {
        var moto = FindOnPath("moto_server");
        if (moto is null)
        {
            return "moto_server: not installed (pip install 'moto[server]'), moto comparison skipped";
        }

        var port = ManagedProcess.FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(o.OutputDirectory, "moto")).FullName;
        Console.WriteLine($"moto_server ({moto}) on port {port}...");
        await using var server = ManagedProcess.Start(moto, ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(), dir, Path.Combine(dir, "moto.log"));
        var url = new Uri($"http://127.0.0.1:{port}/");
        await server.WaitUntilAnsweringAsync(new Uri(url, "/moto-api/"), TimeSpan.FromSeconds(60));
        using var client = new AwsClient(url, "AKIAMOTO000000000000", "moto-secret");
        var pool = await client.CognitoAsync("CreateIdentityPool", new
        {
            IdentityPoolName = "load",
            AllowUnauthenticatedIdentities = true,
            OpenIdConnectProviderARNs = new[] { $"arn:aws:iam::123456789012:oidc-provider/{idp.ProviderKey}" },
        });
        var poolId = pool.GetProperty("IdentityPoolId").GetString()!;
        var motoTokens = tokens.Take(MotoUsers).ToArray();
        var ids = await Bodies.CreateIdentitiesAsync(client, poolId, idp.ProviderKey, motoTokens, 8);
        var files = WriteBodies(dir, poolId, idp.ProviderKey, motoTokens, ids);
        foreach (var operation in Operation.All.Where(o.Measures))
        {
            var target = "AWSCognitoIdentityService." + operation.Target;
            await warmup.RunAsync(url, target, files[operation], server.Id);
            var result = await wrk.RunAsync(url, target, files[operation], server.Id);
            Print("moto", "-", operation.Name, result);
            rows.Add(new Row("moto", "-", operation, result));
        }

        return $"moto_server: {moto} (moto {MotoVersion()}); {MotoUsers} users' tokens (moto does not verify them)";
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string MotoVersion()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import moto; print(moto.__version__)"]) { RedirectStandardOutput = true });
            var v = p!.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    internal static void Print(string target, string mode, string operation, RunResult r) =>
        Console.WriteLine(FormattableString.Invariant(
            $"  {target,-6} {mode,-9} {operation,-36} {r.RequestsPerSecond,8:F0} req/s  p50 {r.P50Ms,7:F2} ms  p99 {r.P99Ms,7:F2} ms  errors {r.Errors}  server RSS peak {r.ServerPeakRssBytes / 1048576.0:F0} MB  CPU server {r.ServerCpuShare:P0} wrk {r.WrkCpuShare:P0} others {r.OtherCpuShare:P0}"));

    private static string Pinning() => ManagedProcess.ServerCpus is { } cpus
        ? $"; pinned (--pin): servers on CPUs {cpus}, the tool, wrk and the open-loop generator on the others"
        : "";

    internal static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memory = File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim();
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {ProcStats.LoadAverage()}{Pinning()}";
    }
}
