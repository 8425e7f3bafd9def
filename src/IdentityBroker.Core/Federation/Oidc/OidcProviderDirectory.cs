using IdentityBroker.Iam;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Storage;

namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// The registered IAM OIDC providers, read from the store and kept for a few seconds so that token validation does not
/// hit the store on every request. The IAM actions drop the cache on every change. Each load is indexed once by ARN
/// and by issuer, so the per-request look-ups are dictionary hits.
/// </summary>
public sealed class OidcProviderDirectory
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly IIamStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Snapshot? _snapshot;

    public OidcProviderDirectory(IIamStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async ValueTask<IReadOnlyList<OidcProvider>> AllAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).All;

    public async ValueTask<OidcProvider?> FindByArnAsync(string arn, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ByArn.GetValueOrDefault(arn);

    /// <summary>The provider whose URL is <paramref name="issuer"/>, ignoring one trailing slash on either side.</summary>
    public async ValueTask<OidcProvider?> FindByIssuerAsync(string issuer, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ByIssuer.GetValueOrDefault(OidcProviderUrl.NormalizeIssuer(issuer));

    public void Invalidate()
    {
        lock (_gate)
        {
            Volatile.Write(ref _snapshot, null);
        }
    }

    /// <summary>The current index without an await when it is loaded (the hot path); otherwise waits for the load.</summary>
    private ValueTask<ProviderIndex> CurrentAsync(CancellationToken cancellationToken)
    {
        var load = CurrentLoad();
        return load.IsCompletedSuccessfully ? ValueTask.FromResult(load.Result) : new ValueTask<ProviderIndex>(load.WaitAsync(cancellationToken));
    }

    /// <summary>One load shared by concurrent callers; a failed load is not kept.</summary>
    private Task<ProviderIndex> CurrentLoad()
    {
        var now = _time.GetUtcNow();

        // Lock-free while the snapshot is fresh: every OIDC login of every request passes here.
        if (Volatile.Read(ref _snapshot) is { } fresh && IsUsable(fresh, now))
        {
            return fresh.Load;
        }

        lock (_gate)
        {
            if (_snapshot is { } s && IsUsable(s, now))
            {
                return s.Load;
            }

            var load = LoadAsync();
            Volatile.Write(ref _snapshot, new Snapshot(load, now + Lifetime));
            return load;
        }
    }

    private static bool IsUsable(Snapshot snapshot, DateTimeOffset now) =>
        now < snapshot.Expires && !snapshot.Load.IsFaulted && !snapshot.Load.IsCanceled;

    private async Task<ProviderIndex> LoadAsync() => ProviderIndex.Of(await _store.ListOidcProvidersAsync(CancellationToken.None));

    private sealed record Snapshot(Task<ProviderIndex> Load, DateTimeOffset Expires);

    /// <summary>One load of the providers; when two share an ARN or an issuer (the store forbids it), the first wins, as the linear search did.</summary>
    private sealed record ProviderIndex(IReadOnlyList<OidcProvider> All, Dictionary<string, OidcProvider> ByArn, Dictionary<string, OidcProvider> ByIssuer)
    {
        public static ProviderIndex Of(IReadOnlyList<OidcProvider> all)
        {
            var byArn = new Dictionary<string, OidcProvider>(StringComparer.Ordinal);
            var byIssuer = new Dictionary<string, OidcProvider>(StringComparer.Ordinal);
            foreach (var provider in all)
            {
                byArn.TryAdd(provider.Arn, provider);
                byIssuer.TryAdd(OidcProviderUrl.NormalizeIssuer(provider.Url), provider);
            }

            return new ProviderIndex(all, byArn, byIssuer);
        }
    }
}
