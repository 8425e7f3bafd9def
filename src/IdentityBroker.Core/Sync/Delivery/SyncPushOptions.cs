using IdentityBroker.UserPools.Triggers;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// <c>Broker:Sync:Push</c>: where push sync notifications leave the broker. <c>Broker:Sync:Push:&lt;Platform&gt;:WebhookUrl</c>
/// per RegisterDevice platform (APNS, APNS_SANDBOX, GCM, ADM); a device of a platform without a webhook is not notified.
/// Delivery runs off the request path through a bounded queue, retrying a failed call with doubling delays.
/// </summary>
public sealed class SyncPushOptions
{
    public const string Section = "Broker:Sync:Push";

    /// <summary>The IHttpClientFactory name of the client push webhooks are called with (its request loggers are removed).</summary>
    public const string HttpClientName = "IdentityBroker.SyncPush";

    /// <summary>Webhook URL per platform name, as configured.</summary>
    public Dictionary<string, string> WebhookUrls { get; } = new(StringComparer.Ordinal);

    /// <summary>Configured platform sections that are not RegisterDevice platforms (a typo fails start-up).</summary>
    public List<string> UnknownPlatforms { get; } = [];

    /// <summary>Changes waiting for delivery; past this, a change's notifications are dropped and counted in the log.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Calls per device and change, the first included.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The wait before the second call; it doubles before each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest one webhook call may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Fails start-up on push settings that cannot work, naming the key to fix.</summary>
public sealed class SyncPushOptionsValidator : IValidateOptions<SyncPushOptions>
{
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromMinutes(2);

    public ValidateOptionsResult Validate(string? name, SyncPushOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = SyncPushOptions.Section;
        var failures = new List<string>();
        failures.AddRange(options.UnknownPlatforms.Select(p =>
            $"{Section}:{p} is not a push platform (one of {string.Join(", ", SyncNames.Platforms)})."));
        foreach (var (platform, url) in options.WebhookUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !TriggerOptionsValidator.IsAcceptableUrl(uri))
            {
                failures.Add($"{Section}:{platform}:WebhookUrl must be an absolute https URL (http only on loopback).");
            }
        }

        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"{Section}:QueueCapacity must be 1 to 1000000, not {options.QueueCapacity}.");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{Section}:MaxAttempts must be 1 to 10, not {options.MaxAttempts}.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:RetryDelay must be 00:00:00 to 00:05:00.");
        }

        if (options.Timeout < MinimumTimeout || options.Timeout > MaximumTimeout)
        {
            failures.Add($"{Section}:Timeout must be 00:00:00.1 to 00:02:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
