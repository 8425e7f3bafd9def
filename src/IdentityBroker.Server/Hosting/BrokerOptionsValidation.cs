using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Hosting;

/// <summary>Refuses to start with a configuration that is unsafe or cannot work, naming the key to fix.</summary>
internal sealed partial class BrokerOptionsValidation : IValidateOptions<BrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        var failures = new List<string>();
        // Broker:Store and Broker:Sts:Mode are checked before the services are registered (BrokerModes); each store
        // validates its own options.
        if (options.Tokens.Algorithm is not ("RS512" or "ES256"))
        {
            failures.Add($"Broker:Tokens:Algorithm must be 'RS512' or 'ES256', not '{options.Tokens.Algorithm}'.");
        }

        if (options.Tokens.VerifiedTokenCacheSize is < 0 or > 10_000_000)
        {
            failures.Add($"Broker:Tokens:VerifiedTokenCacheSize must be 0 (off) to 10000000, not {options.Tokens.VerifiedTokenCacheSize}.");
        }

        if (options.Tokens.RotationDays is < 0 or > 3650)
        {
            failures.Add($"Broker:Tokens:RotationDays must be 0 (only on demand) to 3650, not {options.Tokens.RotationDays}.");
        }

        if (options.Sts.ServiceUrl is { } sts && !Uri.TryCreate(sts, UriKind.Absolute, out _))
        {
            failures.Add("Broker:Sts:ServiceUrl must be an absolute URL.");
        }

        if (options.Console.IdleTimeout <= TimeSpan.Zero || options.Console.IdleTimeout > TimeSpan.FromHours(12))
        {
            failures.Add("Broker:Console:IdleTimeout must be more than zero and at most 12:00:00.");
        }

        if (!RegionPattern().IsMatch(options.Region))
        {
            failures.Add($"Broker:Region '{options.Region}' is not a region name such as us-east-1.");
        }

        if (!AccountPattern().IsMatch(options.AccountId))
        {
            failures.Add("Broker:AccountId must be 12 digits.");
        }

        if (options.Issuer is { } issuer && IssuerProblem(issuer) is { } problem)
        {
            failures.Add(problem);
        }

        if ((options.Admin.AccessKeyId is null) != (options.Admin.SecretAccessKey is null))
        {
            failures.Add("Broker:Admin:AccessKeyId and Broker:Admin:SecretAccessKey must be set together.");
        }

        if (options.Admin.SecretAccessKey is { Length: < 16 })
        {
            failures.Add("Broker:Admin:SecretAccessKey must be at least 16 characters.");
        }

        failures.AddRange(MetricsProblems(options.Metrics));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The issuer is what AWS fetches keys from: https, or http on a loopback host for local use.</summary>
    internal static string? IssuerProblem(string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"Broker:Issuer '{issuer}' must be an absolute URL without query or fragment.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri.Host))
        {
            return null;
        }

        return $"Broker:Issuer '{issuer}' must use https (http is accepted only on a loopback host).";
    }

    internal static IEnumerable<string> MetricsProblems(MetricsOptions metrics)
    {
        foreach (var network in metrics.EffectiveAllowedNetworks())
        {
            if (!System.Net.IPNetwork.TryParse(network, out _))
            {
                yield return $"Broker:Metrics:AllowedNetworks: '{network}' is not a CIDR range such as 10.0.0.0/8.";
            }
        }

        if (metrics.MaxLabelValues < 1)
        {
            yield return "Broker:Metrics:MaxLabelValues must be at least 1.";
        }
    }

    internal static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountPattern();
}
