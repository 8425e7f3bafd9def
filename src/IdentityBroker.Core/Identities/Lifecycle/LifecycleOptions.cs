using Microsoft.Extensions.Options;

namespace IdentityBroker.Identities.Lifecycle;

/// <summary><c>Broker:Lifecycle:*</c> (docs/identities.md, "Lifecycle").</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Broker:Lifecycle";

    /// <summary>Guest identities (no login) not seen for this many days are removed by the sweeper; 0 (the default): never.</summary>
    public int GuestIdentityTtlDays { get; set; }

    /// <summary>How often a replica tries to take the sweeper's lease and sweep.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed class LifecycleOptionsValidator : IValidateOptions<LifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.GuestIdentityTtlDays is < 0 or > 36_500)
        {
            failures.Add($"{LifecycleOptions.Section}:GuestIdentityTtlDays must be 0 (off) to 36500 (days).");
        }

        if (options.SweepInterval < TimeSpan.FromSeconds(1) || options.SweepInterval > TimeSpan.FromDays(7))
        {
            failures.Add($"{LifecycleOptions.Section}:SweepInterval must be 1 second to 7 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
