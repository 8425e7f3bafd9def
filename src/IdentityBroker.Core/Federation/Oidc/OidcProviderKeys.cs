using System.Collections.Concurrent;
using IdentityBroker.Federation.Jwt;

namespace IdentityBroker.Federation.Oidc;

/// <summary>Keys of an issuer, or why they could not be had; <see cref="Keys"/> and <see cref="Failure"/> are both null when the issuer is not registered.</summary>
public sealed record IssuerKeysLookup(IssuerKeys? Keys, string? Failure);

/// <summary>
/// Verification keys of the registered IAM OIDC providers, looked up by a token's <c>iss</c> (for STS): the provider
/// found in <see cref="OidcProviderDirectory"/>, its keys from <see cref="IssuerKeyCache"/> — the same cache entry the
/// Cognito path reads — through <c>&lt;issuer&gt;/.well-known/openid-configuration</c>.
/// </summary>
public sealed class OidcProviderKeys : IIssuerKeySource
{
    private const int MaxCachedIssuerSpellings = 1024;

    private readonly OidcProviderDirectory _directory;
    private readonly IssuerKeyCache _cache;
    private readonly ConcurrentDictionary<string, CachedKeys> _keys = new(StringComparer.Ordinal);

    public OidcProviderKeys(OidcProviderDirectory directory, IssuerKeyCache cache)
    {
        _directory = directory;
        _cache = cache;
    }

    /// <exception cref="IssuerKeysUnavailableException">The issuer is registered but its metadata or keys cannot be had.</exception>
    public async ValueTask<IssuerKeys?> GetKeysAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        var lookup = await LookupAsync(issuer, keyId, cancellationToken);
        return lookup.Failure is { } failure ? throw new IssuerKeysUnavailableException(failure) : lookup.Keys;
    }

    /// <summary>As <see cref="GetKeysAsync"/>, with an unreachable provider reported as a value.</summary>
    public async ValueTask<IssuerKeysLookup> LookupAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var provider = await _directory.FindByIssuerAsync(issuer, cancellationToken);
        if (provider is null)
        {
            return new IssuerKeysLookup(null, null);
        }

        var lookup = await _cache.GetAsync(DiscoveredJwks.Of(provider.Url), keyId, cancellationToken);
        return lookup.Keys is { } set
            ? new IssuerKeysLookup(KeysOf(set, issuer, provider.Arn), null)
            : new IssuerKeysLookup(null, lookup.Failure);
    }

    /// <summary>
    /// The same <see cref="IssuerKeys"/> instance for as long as the fetch, the issuer spelling and the provider stay the
    /// same: no copy of the key list per request.
    /// </summary>
    private IssuerKeys KeysOf(FetchedKeySet set, string issuer, string providerArn)
    {
        if (_keys.TryGetValue(issuer, out var cached) && ReferenceEquals(cached.Set, set)
            && string.Equals(cached.Keys.ProviderArn, providerArn, StringComparison.Ordinal))
        {
            return cached.Keys;
        }

        if (_keys.Count > MaxCachedIssuerSpellings)
        {
            _keys.Clear(); // Issuers come from tokens: bound what a caller can make the broker keep.
        }

        var keys = new IssuerKeys(issuer, set.SigningKeys, IsBroker: false, providerArn) { Verifier = set.Verifier };
        _keys[issuer] = new CachedKeys(set, keys);
        return keys;
    }

    private sealed record CachedKeys(FetchedKeySet Set, IssuerKeys Keys);
}
