using Microsoft.Extensions.Options;

namespace IdentityBroker.Audit;

/// <summary><c>Broker:Audit:*</c> (docs/audit.md, "Configuration").</summary>
public sealed class AuditOptions
{
    public const string Section = "Broker:Audit";

    public const int MaxRetentionDays = 3650;

    /// <summary>Record every AWS call. Off only to measure what the trail costs (docs/performance.md).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events older than this many days are removed and never returned.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Also append every record, one JSON object a line, to this file (for log shippers); null: no file.</summary>
    public string? File { get; set; }

    /// <summary>Records waiting for the background writer; past it, records of calls that issue nothing are dropped (and counted in the log).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>At most this many records are written in one store write.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// How long (milliseconds) the writer may hold records of calls that issue nothing before it writes them, so that they
    /// share a batch: at most this long, and never while a credential issuance is queued (its reply waits for its record,
    /// so the writer starts at once) or a full batch is waiting. 0 writes every record at once.
    /// </summary>
    public int FlushMilliseconds { get; set; } = 20;

    /// <summary>The Redis Stream's cap (XADD MAXLEN ~): the trail never grows past about this many events in Redis.</summary>
    public int RedisMaxLength { get; set; } = 1_000_000;

    /// <summary>
    /// Test knob (crash tests): the writer waits this long before each store write, so that records stay queued long
    /// enough for a killed broker to lose them if a reply did not wait for its record. It weakens nothing: an issuance is
    /// still answered only after its record is durable, just later. 0 (the default) in any real deployment.
    /// </summary>
    public int TestWriteDelayMilliseconds { get; set; }
}

/// <summary>Start-up validation: a wrong key stops the broker with the key to fix.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = AuditOptions.Section;
        var failures = new List<string>();
        if (options.RetentionDays is < 1 or > AuditOptions.MaxRetentionDays)
        {
            failures.Add($"{Section}:RetentionDays must be 1 to {AuditOptions.MaxRetentionDays} (days).");
        }

        if (options.File is { } file && (string.IsNullOrWhiteSpace(file) || Directory.Exists(file)
            || Path.GetDirectoryName(Path.GetFullPath(file)) is not { } directory || !Directory.Exists(directory)))
        {
            failures.Add($"{Section}:File must name a file in an existing directory.");
        }

        if (options.QueueCapacity is < 16 or > 1_000_000)
        {
            failures.Add($"{Section}:QueueCapacity must be 16 to 1000000.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{Section}:BatchSize must be 1 to 10000.");
        }

        if (options.FlushMilliseconds is < 0 or > 1000)
        {
            failures.Add($"{Section}:FlushMilliseconds must be 0 to 1000.");
        }

        if (options.TestWriteDelayMilliseconds is < 0 or > 10_000)
        {
            failures.Add($"{Section}:TestWriteDelayMilliseconds must be 0 to 10000.");
        }

        if (options.RedisMaxLength < 1000)
        {
            failures.Add($"{Section}:RedisMaxLength must be at least 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
