using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Domains;

/// <summary>
/// From a request's host name to the pool whose domain it is, and back: <c>&lt;prefix&gt;.&lt;suffix&gt;</c> through the
/// domain store, a custom domain through configuration. Host names compare case-insensitively (RFC 4343).
/// </summary>
public sealed class DomainHosts(IOptions<UserPoolDomainOptions> options, IUserPoolDomainStore domains, IUserPoolStore pools)
{
    private readonly UserPoolDomainOptions _options = options.Value;

    public string Suffix => _options.DomainSuffix;

    /// <summary>The host patterns the domain endpoints answer on (for routing): <c>*.&lt;suffix&gt;</c> and each custom domain.</summary>
    public static IReadOnlyList<string> HostPatterns(UserPoolDomainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ["*." + options.DomainSuffix, .. options.CustomDomains.Keys.Select(h => h.ToLowerInvariant())];
    }

    public string HostOf(string prefix) => prefix + "." + _options.DomainSuffix;

    /// <summary>The pool served at <paramref name="host"/> (no port); null when none is.</summary>
    public async Task<UserPool?> PoolOfHostAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.TrimEnd('.').ToLowerInvariant();
        if (_options.CustomDomains.TryGetValue(host, out var configuredPool))
        {
            return await pools.GetUserPoolAsync(configuredPool, cancellationToken).ConfigureAwait(false);
        }

        var suffix = "." + _options.DomainSuffix;
        if (!host.EndsWith(suffix, StringComparison.Ordinal) || host.Length == suffix.Length)
        {
            return null;
        }

        var prefix = host[..^suffix.Length];
        if (prefix.Contains('.', StringComparison.Ordinal) || await domains.GetDomainAsync(prefix, cancellationToken).ConfigureAwait(false) is not { } domain)
        {
            return null;
        }

        return await pools.GetUserPoolAsync(domain.UserPoolId, cancellationToken).ConfigureAwait(false);
    }
}
