using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Limits;

/// <summary><c>Broker:Limits:*</c> (docs/limits.md): request rates per operation, and the guest quotas.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Broker:Limits";

    public const string NoPreset = "None";

    public const string CognitoPreset = "Cognito";

    /// <summary><c>None</c> (no rate limit unless listed in <see cref="Operations"/>) or <c>Cognito</c> (Cognito's default quotas, <see cref="CognitoQuotas"/>).</summary>
    public string Preset { get; set; } = NoPreset;

    /// <summary>
    /// Requests per second by service, then operation (<c>Broker:Limits:Operations:cognito-identity:GetId</c>,
    /// <c>…:cognito-idp:InitiateAuth</c>, <c>…:sts:AssumeRoleWithWebIdentity</c>), over the preset's; 0 lifts the preset's limit.
    /// </summary>
    public Dictionary<string, Dictionary<string, int>> Operations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The configured limits as <c>service:Operation</c> → requests per second.</summary>
    public IEnumerable<KeyValuePair<string, int>> OperationRates() =>
        Operations.SelectMany(s => s.Value.Select(o => KeyValuePair.Create(s.Key + ":" + o.Key, o.Value)));

    /// <summary>New guest identities (GetId without Logins) per client address per minute; 0 turns the quota off.</summary>
    public int GuestsPerAddressPerMinute { get; set; } = 60;
}

/// <summary>Start-up validation: a wrong key stops the broker with the key to fix.</summary>
public sealed partial class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = LimitsOptions.Section;
        var failures = new List<string>();
        if (!string.Equals(options.Preset, LimitsOptions.NoPreset, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Preset, LimitsOptions.CognitoPreset, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:Preset must be '{LimitsOptions.NoPreset}' or '{LimitsOptions.CognitoPreset}'.");
        }

        foreach (var (operation, rate) in options.OperationRates())
        {
            if (!OperationKey().IsMatch(operation))
            {
                failures.Add($"{Section}:Operations: '{operation}' is not a service and an operation, e.g. Operations:cognito-identity:GetId.");
            }
            else if (rate is < 0 or > 1_000_000)
            {
                failures.Add($"{Section}:Operations:{operation} must be 0 to 1000000 (requests per second; 0 lifts the limit).");
            }
        }

        if (options.GuestsPerAddressPerMinute is < 0 or > 1_000_000)
        {
            failures.Add($"{Section}:GuestsPerAddressPerMinute must be 0 (off) to 1000000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9-]{1,40}:[A-Za-z][A-Za-z0-9]{1,80}$")]
    private static partial Regex OperationKey();
}
