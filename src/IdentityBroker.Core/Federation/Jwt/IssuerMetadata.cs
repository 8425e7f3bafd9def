using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdentityBroker.Federation.Jwt;

/// <summary>The outcome of asking for an issuer's metadata: a configuration, or why there is none.</summary>
internal readonly record struct MetadataLookup(OpenIdConnectConfiguration? Configuration, string? Failure);

/// <summary>
/// The cached discovery document and keys of one issuer, on <see cref="TimeProvider"/> time: fetched on first use,
/// refetched after <see cref="OidcOptions.MetadataRefreshInterval"/>, and refetched at once — at most once per
/// <see cref="OidcOptions.UnknownKeyRefreshInterval"/> — when a token names a kid the keys lack. Concurrent callers share
/// one fetch. A failed fetch is not retried within UnknownKeyRefreshInterval (an unreachable provider is not hammered),
/// and keys already known stay in use when a refresh fails.
/// </summary>
internal sealed class IssuerMetadata
{
    private readonly Func<Task<MetadataLookup>> _fetch;
    private readonly TimeProvider _time;
    private readonly OidcOptions _options;
    private readonly Lock _gate = new();
    private Task<MetadataLookup>? _inflight;
    private OpenIdConnectConfiguration? _current;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastForcedRefresh;
    private DateTimeOffset? _failedAt;
    private string? _failure;

    public IssuerMetadata(Func<Task<MetadataLookup>> fetch, TimeProvider time, OidcOptions options)
    {
        _fetch = fetch;
        _time = time;
        _options = options;
    }

    public async Task<MetadataLookup> GetAsync(string? keyId, CancellationToken cancellationToken)
    {
        var lookup = await CurrentAsync(cancellationToken);
        if (lookup.Configuration is not { } configuration || keyId is null || HasKey(configuration, keyId) || !TryClaimForcedRefresh())
        {
            return lookup;
        }

        var refreshed = await SharedFetch().WaitAsync(cancellationToken);
        return refreshed.Configuration is null ? lookup : refreshed;
    }

    private static bool HasKey(OpenIdConnectConfiguration configuration, string keyId) =>
        configuration.SigningKeys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));

    private async Task<MetadataLookup> CurrentAsync(CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration? current;
        lock (_gate)
        {
            current = _current;
            if (current is not null && _time.GetUtcNow() - _fetchedAt < _options.MetadataRefreshInterval)
            {
                return new MetadataLookup(current, null);
            }
        }

        var fetched = await SharedFetch().WaitAsync(cancellationToken);
        return fetched.Configuration is null && current is not null ? new MetadataLookup(current, null) : fetched;
    }

    private bool TryClaimForcedRefresh()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_lastForcedRefresh is { } last && now - last < _options.UnknownKeyRefreshInterval)
            {
                return false;
            }

            _lastForcedRefresh = now;
            return true;
        }
    }

    private Task<MetadataLookup> SharedFetch()
    {
        lock (_gate)
        {
            if (_inflight is not null)
            {
                return _inflight;
            }

            if (_failedAt is { } failedAt && _time.GetUtcNow() - failedAt < _options.UnknownKeyRefreshInterval)
            {
                return Task.FromResult(new MetadataLookup(null, _failure));
            }

            _inflight = FetchAndRecordAsync();
            return _inflight;
        }
    }

    private async Task<MetadataLookup> FetchAndRecordAsync()
    {
        await Task.Yield(); // _inflight is assigned before this method can finish and clear it.
        try
        {
            var lookup = await _fetch();
            lock (_gate)
            {
                if (lookup.Configuration is not null)
                {
                    _current = lookup.Configuration;
                    _fetchedAt = _time.GetUtcNow();
                    _failedAt = null;
                }
                else
                {
                    _failedAt = _time.GetUtcNow();
                    _failure = lookup.Failure;
                }
            }

            return lookup;
        }
        finally
        {
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }
}
