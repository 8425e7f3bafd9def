using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Domains;

/// <summary>
/// <c>Broker:UserPools</c>: where the pools' domains are served. A pool's domain is <c>&lt;prefix&gt;.&lt;DomainSuffix&gt;</c>;
/// the default suffix <c>auth.localhost</c> needs no DNS: browsers resolve every <c>*.localhost</c> name to loopback (RFC 6761
/// §6.3). <see cref="CustomDomains"/> maps further host names (a custom domain, e.g. <c>login.example.com</c>) to a pool id.
/// </summary>
public sealed partial class UserPoolDomainOptions
{
    public const string SectionName = "Broker:UserPools";

    public const string DefaultSuffix = "auth.localhost";

    public string DomainSuffix { get; set; } = DefaultSuffix;

    /// <summary>Host name (lower case, no port) to the id of the pool it serves.</summary>
    public Dictionary<string, string> CustomDomains { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    internal static bool IsHostName(string host) => host.Length <= 253 && HostName().IsMatch(host);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}

/// <summary>Start-up checks of <see cref="UserPoolDomainOptions"/>: a suffix and custom hosts that are DNS names, pool ids that look like ids.</summary>
public sealed class UserPoolDomainOptionsValidation : IValidateOptions<UserPoolDomainOptions>
{
    public ValidateOptionsResult Validate(string? name, UserPoolDomainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!UserPoolDomainOptions.IsHostName(options.DomainSuffix))
        {
            failures.Add($"Broker:UserPools:DomainSuffix '{options.DomainSuffix}' must be a lower-case DNS name of at least two labels, e.g. auth.localhost.");
        }

        foreach (var (host, poolId) in options.CustomDomains)
        {
            if (!UserPoolDomainOptions.IsHostName(host))
            {
                failures.Add($"Broker:UserPools:CustomDomains: '{host}' must be a lower-case DNS host name without a port.");
            }
            else if (host.EndsWith("." + options.DomainSuffix, StringComparison.Ordinal))
            {
                failures.Add($"Broker:UserPools:CustomDomains: '{host}' is under the DomainSuffix; prefix domains come from CreateUserPoolDomain.");
            }

            if (!Tokens.UserPoolIssuer.IsPoolId(poolId))
            {
                failures.Add($"Broker:UserPools:CustomDomains:{host}: '{poolId}' is not a user pool id (<region>_<id>).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
