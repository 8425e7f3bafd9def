using System.Globalization;

namespace IdentityBroker.Load;

/// <summary>Command line of the load tool; every value has a default so that a bare run measures everything.</summary>
public sealed record LoadOptions(
    int DurationSeconds,
    int Connections,
    int WrkThreads,
    int Users,
    IReadOnlyList<string> StsModes,
    bool Moto,
    string OutputDirectory,
    string RepositoryRoot)
{
    /// <summary>The operations to measure, by bodies name (getid-guest, getid-oidc, gcfi-oidc, openid-oidc); null: all.</summary>
    public IReadOnlySet<string>? Operations { get; init; }

    /// <summary>
    /// Length of the unmeasured wrk run before each measured one. Ten seconds: on the 2-core machine the JIT's tiering
    /// (tier 0, instrumented, then optimized code) of a freshly started broker was still compiling 15 s into a
    /// 3 s-warm-up run, and the rows measured during it were the noisiest.
    /// </summary>
    public int WarmupSeconds { get; init; } = 10;

    /// <summary>Share of each row's wrk peak the open-loop generator offers to measure latency (OpenLoop/); 0: no open-loop runs.</summary>
    public double OpenLoopShare { get; init; } = 0.70;

    /// <summary>--pin SERVER:LOAD, taskset CPU lists (e.g. 0:1); null: not pinned.</summary>
    public (string Server, string Load)? Pin { get; init; }

    /// <summary>The broker modes --sts accepts; "redis" is two replicas over one redis-server (RedisRun.cs).</summary>
    public static readonly IReadOnlyList<string> KnownModes =
        ["inprocess", "http", "inprocess-es256", "http-es256", "inprocess-noaudit", "inprocess-nometrics", "inprocess-nocache", RedisRun.Mode, RedisRun.NoAuditMode];

    public const string Usage = """
        usage: dotnet tools/IdentityBroker.Load/bin/Release/net10.0/IdentityBroker.Load.dll [options]
          --duration SECONDS     length of each measured wrk run (default 10)
          --warmup SECONDS       unmeasured wrk run before each measured run, same row (default 10)
          --connections N        concurrent connections (default 64)
          --wrk-threads N        wrk threads (default 1: the generator shares the 2 cores with the broker)
          --users N              distinct OIDC users, tokens pre-minted (default 10000)
          --open-loop PERCENT    after each row's wrk run, latency at PERCENT of its peak with the tool's open-loop
                                 generator (fixed send times, latency from the send time due; default 70, 0 = off)
          --sts MODES            comma list of broker runs: inprocess, http (Broker__Sts__InProcess true/false), and
                                 inprocess-es256, http-es256 (the same with Broker__Tokens__Algorithm=ES256),
                                 inprocess-noaudit (Broker__Audit__Enabled=false: with inprocess, the audit trail's cost),
                                 inprocess-nometrics (Broker__Metrics__Enabled=false: with inprocess, the metrics' cost),
                                 inprocess-nocache (Broker__Tokens__VerifiedTokenCacheSize=0: the login rows with no
                                 cache hits), redis (2 broker replicas on one redis-server the tool starts:
                                 GetCredentialsForIdentity per replica CPU-second), redis-noaudit (the same with
                                 Broker__Audit__Enabled=false: compare with inprocess-noaudit)
                                 (default inprocess,http,inprocess-es256,inprocess-nocache,redis)
          --ops NAMES            comma list of operations to measure: getid-guest, getid-oidc, gcfi-oidc, openid-oidc
                                 (default: all that each broker mode measures; a mode left with none is skipped)
          --no-moto              do not measure moto_server
          --pin SERVER:LOAD      taskset CPU lists, e.g. 0:1: every server the tool starts runs on SERVER, the tool itself
                                 (its open-loop generator) and wrk on LOAD, so that they stop competing for the same
                                 cores; rates are then those of the SERVER CPUs alone (Linux, taskset)
          --out DIR              where the CSV, PNG and Markdown go (default artifacts/load/<UTC time>)
        Needs the Release builds of the broker and tools/HttpFloor, and wrk (apt-get install -y wrk).
        """;

    public static LoadOptions? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = FindRepositoryRoot();
        if (root is null)
        {
            Console.Error.WriteLine("Run from inside the repository (IdentityBroker.sln not found above the current directory).");
            return null;
        }

        var options = new LoadOptions(10, 64, 1, 10_000, ["inprocess", "http", "inprocess-es256", "inprocess-nocache", RedisRun.Mode], true,
            Path.Combine(root, "artifacts", "load", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)), root);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--duration" => options with { DurationSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { WarmupSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--connections" => options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--wrk-threads" => options with { WrkThreads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--users" => options with { Users = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--open-loop" => options with { OpenLoopShare = double.Parse(Next(), CultureInfo.InvariantCulture) / 100 },
                "--sts" => options with { StsModes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--ops" => options with { Operations = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) },
                "--no-moto" => options with { Moto = false },
                "--pin" => options with { Pin = ParsePin(Next()) },
                "--out" => options with { OutputDirectory = Path.GetFullPath(Next()) },
                _ => null!,
            };
            if (options is null)
            {
                return null;
            }
        }

        var knownOps = options.Operations is null || options.Operations.All(op => Operation.All.Any(a => a.BodiesName == op));
        return knownOps && options.WarmupSeconds >= 1 && options.OpenLoopShare is >= 0 and <= 1 && options.StsModes.All(KnownModes.Contains) && options.StsModes.Count > 0 ? options : null;
    }

    private static (string Server, string Load) ParsePin(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiDigit(c) || c is ',' or '-'))
            ? (parts[0], parts[1])
            : throw new ArgumentException($"--pin needs SERVER:LOAD CPU lists such as 0:1, not '{value}'");
    }

    /// <summary>Whether --ops selects <paramref name="operation"/> (the ES256 variants share their RS512 twin's bodies name).</summary>
    public bool Measures(Operation operation) => Operations is null || Operations.Contains(operation.BodiesName);

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityBroker.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
