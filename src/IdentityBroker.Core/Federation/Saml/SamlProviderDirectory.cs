using IdentityBroker.Iam;
using IdentityBroker.Storage;

namespace IdentityBroker.Federation.Saml;

/// <summary>A registered SAML provider with its parsed metadata (certificates are parsed once per load, not per login).</summary>
public sealed record TrustedSamlProvider(SamlProvider Provider, SamlMetadata Metadata);

/// <summary>
/// The registered IAM SAML providers, read from the store and kept for a few seconds so that a login does not re-read and
/// re-parse the metadata every time. The IAM actions drop the cache on every change.
/// </summary>
public sealed class SamlProviderDirectory
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ISamlProviderStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Snapshot? _snapshot;

    public SamlProviderDirectory(ISamlProviderStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async ValueTask<TrustedSamlProvider?> FindByArnAsync(string arn, CancellationToken cancellationToken)
    {
        var all = await CurrentLoad().WaitAsync(cancellationToken).ConfigureAwait(false);
        return all.GetValueOrDefault(arn);
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    private Task<Dictionary<string, TrustedSamlProvider>> CurrentLoad()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_snapshot is { } s && now < s.Expires && !s.Load.IsFaulted && !s.Load.IsCanceled)
            {
                return s.Load;
            }

            var load = LoadAsync();
            _snapshot = new Snapshot(load, now + Lifetime);
            return load;
        }
    }

    private async Task<Dictionary<string, TrustedSamlProvider>> LoadAsync()
    {
        var providers = await _store.ListSamlProvidersAsync(CancellationToken.None).ConfigureAwait(false);
        var trusted = new Dictionary<string, TrustedSamlProvider>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            // Metadata was validated when it was stored; a document that no longer parses is not trusted.
            var metadata = SamlMetadata.Parse(provider.MetadataDocument);
            if (metadata.IsSuccess)
            {
                trusted[provider.Arn] = new TrustedSamlProvider(provider, metadata.Value);
            }
        }

        return trusted;
    }

    private sealed record Snapshot(Task<Dictionary<string, TrustedSamlProvider>> Load, DateTimeOffset Expires);
}
