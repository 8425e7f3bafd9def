using System.Net;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.CompromisedPasswords;

/// <summary>What to do when a configured source cannot answer.</summary>
public enum WhenSourceUnavailable
{
    /// <summary>Fail open: the password is let through and a warning is logged (the default; see <see cref="CompromisedPasswordsOptions"/>).</summary>
    Allow,

    /// <summary>Fail closed: the password is treated as compromised.</summary>
    Block,
}

/// <summary>
/// <c>Broker:UserPools:CompromisedPasswords</c>: where breached-password hashes come from. <see cref="File"/> is a
/// local copy (sorted file or directory of range files), <see cref="RangeApiUrl"/> a k-anonymity range API
/// (HIBP-compatible, e.g. a self-hosted mirror): GET <c>&lt;url&gt;/range/&lt;5 hex&gt;</c>. Either, both, or neither.
/// Fail-open is the default because the check guards against credential stuffing, not against a guessed password: an
/// outage of an outside service must not stop every sign-up and sign-in of every pool; an operator who prefers the
/// opposite sets <see cref="WhenUnavailable"/> to Block.
/// </summary>
public sealed class CompromisedPasswordsOptions
{
    public const string Section = "Broker:UserPools:CompromisedPasswords";

    /// <summary>The IHttpClientFactory name of the client the range API is called with.</summary>
    public const string HttpClientName = "CompromisedPasswords";

    public static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumTimeout = TimeSpan.FromSeconds(30);

    public string? File { get; set; }

    public Uri? RangeApiUrl { get; set; }

    /// <summary>The longest a range API call may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    public WhenSourceUnavailable WhenUnavailable { get; set; } = WhenSourceUnavailable.Allow;
}

/// <summary>Fails start-up on a source that cannot work: a missing file, a relative or plain-http remote URL, a silly timeout.</summary>
public sealed class CompromisedPasswordsOptionsValidator : IValidateOptions<CompromisedPasswordsOptions>
{
    public ValidateOptionsResult Validate(string? name, CompromisedPasswordsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = CompromisedPasswordsOptions.Section;
        if (options.File is { } file && !System.IO.File.Exists(file) && !Directory.Exists(file))
        {
            failures.Add($"{Section}:File '{file}' is neither a file nor a directory.");
        }

        if (options.RangeApiUrl is { } url && !IsAcceptableUrl(url))
        {
            failures.Add($"{Section}:RangeApiUrl must be an absolute https URL (http only on loopback).");
        }

        if (options.Timeout < CompromisedPasswordsOptions.MinimumTimeout || options.Timeout > CompromisedPasswordsOptions.MaximumTimeout)
        {
            failures.Add($"{Section}:Timeout must be 00:00:00.1 to 00:00:30.");
        }

        if (!Enum.IsDefined(options.WhenUnavailable))
        {
            failures.Add($"{Section}:WhenUnavailable must be Allow or Block.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAcceptableUrl(Uri url) =>
        url.IsAbsoluteUri && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment)
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)));

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
