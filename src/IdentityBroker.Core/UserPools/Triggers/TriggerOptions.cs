using System.Net;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// <c>Broker:Triggers</c>: where each Lambda function ARN a pool's LambdaConfig names is reached, and the secret its calls
/// are signed with. <c>Broker:Triggers:Functions:&lt;ARN&gt;</c> is the URL, <c>Broker:Triggers:Secrets:&lt;ARN&gt;</c> the
/// secret. Two sections, not <c>Functions:&lt;ARN&gt;:Secret</c>: an ARN is itself full of colons (the configuration path
/// separator) and may end in <c>:alias</c>, so a trailing <c>:Secret</c> could be read as part of the ARN.
/// </summary>
public sealed class TriggerOptions
{
    public const string Section = "Broker:Triggers";

    /// <summary>The IHttpClientFactory name of the client trigger calls are made with.</summary>
    public const string HttpClientName = "Triggers";

    /// <summary>The shortest secret accepted: 32 characters, so that a secret is not guessable in practice.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>"Your Lambda function must respond within 5 seconds" (Cognito developer guide); not configurable there either.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public Dictionary<string, string> Functions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Fails start-up on a function that cannot be called safely: a URL that is not absolute https (http only on loopback),
/// a function without a secret or with a short one, a secret for no function. Signing is never optional.
/// </summary>
public sealed class TriggerOptionsValidator : IValidateOptions<TriggerOptions>
{
    public ValidateOptionsResult Validate(string? name, TriggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = TriggerOptions.Section;
        foreach (var (arn, url) in options.Functions)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsAcceptableUrl(uri))
            {
                failures.Add($"{Section}:Functions:{arn} must be an absolute https URL (http only on loopback).");
            }

            if (!options.Secrets.TryGetValue(arn, out var secret) || secret.Length < TriggerOptions.MinimumSecretLength)
            {
                failures.Add($"{Section}:Secrets:{arn} must be set, at least {TriggerOptions.MinimumSecretLength} characters.");
            }
        }

        failures.AddRange(options.Secrets.Keys.Where(arn => !options.Functions.ContainsKey(arn))
            .Select(arn => $"{Section}:Secrets:{arn} names no function in {Section}:Functions."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Absolute https, or http on loopback; no user info, no fragment (the push webhooks use the same rule).</summary>
    internal static bool IsAcceptableUrl(Uri url) =>
        string.IsNullOrEmpty(url.Fragment) && string.IsNullOrEmpty(url.UserInfo)
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)));

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
