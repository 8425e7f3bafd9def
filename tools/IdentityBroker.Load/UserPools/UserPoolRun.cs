using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IdentityBroker.Load.UserPools;

/// <summary>A user-pool row: what it drives and the cryptography one request of it needs on the server.</summary>
public sealed record UserPoolOperation(string Key, string Name, string? Target, UserPoolCost Cost)
{
    /// <summary>The server half of SRP: v^u and (A·v^u)^b (g^b comes from a fixed-base table and is not counted); ID + access token signed.</summary>
    public static readonly UserPoolOperation Srp = new("srp", "SRP sign-in (InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge)", null, new UserPoolCost(2, 2, 0, 0));

    /// <summary>A new ID and access token from a refresh token (no rotation: the refresh token is kept).</summary>
    public static readonly UserPoolOperation Refresh = new("refresh", "InitiateAuth REFRESH_TOKEN_AUTH", "InitiateAuth", new UserPoolCost(0, 2, 0, 0));

    /// <summary>The access token checked (signature, then revocation in the store).</summary>
    public static readonly UserPoolOperation GetUser = new("getuser", "GetUser (access token)", "GetUser", new UserPoolCost(0, 0, 1, 0));

    /// <summary>The configured password-hash cost, then ID + access token signed.</summary>
    public static readonly UserPoolOperation Password = new("password", "InitiateAuth USER_PASSWORD_AUTH", "InitiateAuth", new UserPoolCost(0, 2, 0, 1));

    public static readonly IReadOnlyList<UserPoolOperation> All = [Srp, Refresh, GetUser, Password];
}

/// <summary>
/// <c>--userpools [srp,refresh,getuser,password]</c>: the user-pool rows. Starts the broker's Release DLL (SQLite), creates
/// a pool, an app client and users with a permanent password, signs each in once with SRP (set-up), then measures each
/// row and reports it against the bound of its own cryptography, measured on this machine just before.
/// </summary>
public static class UserPoolRun
{
    private const string AdminKeyId = "AKIALOADTOOL00000001";
    private const string AdminSecret = "load-tool-secret-not-for-production-000000";
    private const string Password = "Load-Passw0rd!";

    /// <summary>Users created and signed in during set-up; each costs a password hash and an SRP verifier on the broker.</summary>
    private const int Users = 100;

    /// <summary>Sign-ins in flight in the SRP loop: enough to keep both cores busy while the client half computes.</summary>
    private const int SrpWorkers = 16;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(LoadOptions o, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(keys);
        var operations = keys.Count == 0 ? UserPoolOperation.All : UserPoolOperation.All.Where(op => keys.Contains(op.Key)).ToList();
        var brokerDll = Path.Combine(o.RepositoryRoot, "src", "IdentityBroker.Server", "bin", "Release", "net10.0", "IdentityBroker.Server.dll");
        if (!File.Exists(brokerDll) || !Wrk.IsInstalled())
        {
            Console.Error.WriteLine($"Needs {brokerDll} (dotnet build -c Release src/IdentityBroker.Server) and wrk (apt-get install -y wrk).");
            return 2;
        }

        Directory.CreateDirectory(o.OutputDirectory);
        var iterations = int.Parse(Environment.GetEnvironmentVariable("Broker__UserPools__PasswordHashing__IterationCount") ?? "100000", Inv);
        var machine = LoadRun.Machine();
        Console.WriteLine(machine);
        Console.WriteLine($"User-pool crypto bound (one thread per core, 2 s each; password hash at {iterations} iterations)...");
        var (crypto, perCpu) = UserPoolCryptoRates.Measure(TimeSpan.FromSeconds(2), iterations);
        Console.WriteLine(Invariant($"  ModPow-3072/256 {crypto.ModPow:F0}/s; RS256 sign {crypto.Rs256Sign:F0}/s verify {crypto.Rs256Verify:F0}/s; password verify {crypto.PasswordVerify:F1}/s"));

        var port = ManagedProcess.FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(o.OutputDirectory, "broker-userpools")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["Broker__DataDirectory"] = Path.Combine(dir, "data"),
            ["Broker__Limits__GuestsPerAddressPerMinute"] = "0", // the rows measure the broker, not its limits (docs/limits.md)
            ["Broker__SeedDemoPool"] = "false",
            ["Broker__Admin__AccessKeyId"] = AdminKeyId,
            ["Broker__Admin__SecretAccessKey"] = AdminSecret,
            ["Broker__UserPools__PasswordHashing__IterationCount"] = iterations.ToString(Inv),
        };
        await using var broker = ManagedProcess.Start("dotnet", [brokerDll, "--urls", $"http://127.0.0.1:{port}"], environment, Path.GetDirectoryName(brokerDll)!, Path.Combine(dir, "broker.log"));
        var url = new Uri($"http://127.0.0.1:{port}/");
        await broker.WaitUntilAnsweringAsync(new Uri(url, "/health/ready"), TimeSpan.FromSeconds(60));

        using var admin = new AwsClient(url, AdminKeyId, AdminSecret);
        var (poolId, clientId, users) = await SetUpAsync(admin);
        using var loop = new SrpSignInLoop(url, clientId, poolId, users, SrpWorkers);
        Console.WriteLine($"  pool {poolId}; signing in {users.Count} users once with SRP (set-up, not measured)...");
        var srp = new SrpClient();
        var sessions = new List<JsonElement>();
        foreach (var user in users)
        {
            sessions.Add(await loop.SignInAsync(srp, user));
        }

        var rows = new List<(UserPoolOperation Operation, RunResult Result)>();
        var wrk = new Wrk(Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua"), o.WrkThreads, o.Connections, o.DurationSeconds);
        var warmup = new Wrk(Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua"), o.WrkThreads, o.Connections, o.WarmupSeconds);
        foreach (var operation in operations)
        {
            RunResult result;
            if (operation.Target is null)
            {
                await loop.RunAsync(TimeSpan.FromSeconds(o.WarmupSeconds), broker.Id);
                result = await loop.RunAsync(TimeSpan.FromSeconds(o.DurationSeconds), broker.Id);
            }
            else
            {
                var bodies = Bodies(dir, operation, clientId, users, sessions);
                var target = "AWSCognitoIdentityProviderService." + operation.Target;
                await warmup.RunAsync(url, target, bodies, broker.Id);
                result = await wrk.RunAsync(url, target, bodies, broker.Id);
            }

            Console.WriteLine(Invariant($"  {operation.Name,-64} {result.RequestsPerSecond,8:F0} req/s  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  errors {result.Errors}"));
            rows.Add((operation, result));
        }

        var markdown = Markdown(machine, o, iterations, crypto, perCpu, rows);
        File.WriteAllText(Path.Combine(o.OutputDirectory, "userpools.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Wrote {o.OutputDirectory}/userpools.md");
        return rows.Any(r => r.Result.Errors > 0) ? 1 : 0;
    }

    private static async Task<(string PoolId, string ClientId, List<LoadUser> Users)> SetUpAsync(AwsClient admin)
    {
        var pool = await admin.UserPoolsAsync("CreateUserPool", new { PoolName = "load" });
        var poolId = pool.GetProperty("UserPool").GetProperty("Id").GetString()!;
        var client = await admin.UserPoolsAsync("CreateUserPoolClient", new
        {
            UserPoolId = poolId,
            ClientName = "load",
            ExplicitAuthFlows = new[] { "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH" },
        });
        var clientId = client.GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        var users = new List<LoadUser>();
        for (var i = 0; i < Users; i++)
        {
            var user = new LoadUser($"load-user-{i}", Password);
            await admin.UserPoolsAsync("AdminCreateUser", new { UserPoolId = poolId, user.Username, MessageAction = "SUPPRESS" });
            await admin.UserPoolsAsync("AdminSetUserPassword", new { UserPoolId = poolId, user.Username, user.Password, Permanent = true });
            users.Add(user);
        }

        return (poolId, clientId, users);
    }

    private static string Bodies(string dir, UserPoolOperation operation, string clientId, List<LoadUser> users, List<JsonElement> sessions)
    {
        IEnumerable<object> documents = operation.Key switch
        {
            "refresh" => sessions.Select(s => (object)new
            {
                AuthFlow = "REFRESH_TOKEN_AUTH",
                ClientId = clientId,
                AuthParameters = new Dictionary<string, string> { ["REFRESH_TOKEN"] = s.GetProperty("RefreshToken").GetString()! },
            }),
            "getuser" => sessions.Select(s => (object)new { AccessToken = s.GetProperty("AccessToken").GetString()! }),
            _ => users.Select(u => (object)new
            {
                AuthFlow = "USER_PASSWORD_AUTH",
                ClientId = clientId,
                AuthParameters = new Dictionary<string, string> { ["USERNAME"] = u.Username, ["PASSWORD"] = u.Password },
            }),
        };
        var path = Path.Combine(dir, operation.Key + ".jsonl");
        File.WriteAllLines(path, documents.Select(d => JsonSerializer.Serialize(d)));
        return path;
    }

    private static string Markdown(string machine, LoadOptions o, int iterations, UserPoolCryptoRates crypto, UserPoolCryptoRates perCpu, List<(UserPoolOperation Operation, RunResult Result)> rows)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant($"Machine: {machine}"));
        md.AppendLine(Invariant($"Load: wrk -t{o.WrkThreads} -c{o.Connections} -d{o.DurationSeconds}s per wrk row; SRP: {SrpWorkers} sign-ins in flight for {o.DurationSeconds} s, client half computed in the load tool; each after a {o.WarmupSeconds} s warm-up; {Users} users; loopback; SQLite."));
        md.AppendLine(Invariant($"Crypto bound ({Environment.ProcessorCount} threads, wall clock): 3072-bit ModPow with a 256-bit exponent {crypto.ModPow:F0}/s; RS256 sign {crypto.Rs256Sign:F0}/s, verify {crypto.Rs256Verify:F0}/s; password verify (PBKDF2-SHA512, {iterations} iterations) {crypto.PasswordVerify:F1}/s."));
        md.AppendLine(Invariant($"Per CPU-second of the measuring process: ModPow {perCpu.ModPow:F0}; RS256 sign {perCpu.Rs256Sign:F0}, verify {perCpu.Rs256Verify:F0}; password verify {perCpu.PasswordVerify:F1}."));
        md.AppendLine();
        md.AppendLine("| operation | req/s | p50 ms | p99 ms | errors | CPU server / client / others | cryptography per request | crypto bound/s | ÷ bound | req per server CPU-s | bound per CPU-s | ÷ bound per CPU-s |");
        md.AppendLine("|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var (operation, r) in rows)
        {
            var bound = crypto.BoundFor(operation.Cost);
            var boundCpu = perCpu.BoundFor(operation.Cost);
            md.AppendLine(Invariant(
                $"| {operation.Name} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Errors} | {r.ServerCpuShare:F2} / {r.WrkCpuShare:F2} / {r.OtherCpuShare:F2} | {operation.Cost} | {bound:F0} | {r.RequestsPerSecond / bound:F2} | {r.RequestsPerServerCpuSecond:F0} | {boundCpu:F0} | {r.RequestsPerServerCpuSecond / boundCpu:F2} |"));
        }

        return md.ToString();
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
