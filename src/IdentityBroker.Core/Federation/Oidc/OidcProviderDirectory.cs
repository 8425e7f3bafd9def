using IdentityBroker.Iam;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Storage;

namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// The registered IAM OIDC providers, read from the store and kept for a few seconds so that token validation does not
/// hit the store on every request. The IAM actions drop the cache on every change.
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
        await CurrentLoad().WaitAsync(cancellationToken);

    public async ValueTask<OidcProvider?> FindByArnAsync(string arn, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).FirstOrDefault(p => string.Equals(p.Arn, arn, StringComparison.Ordinal));

    /// <summary>The provider whose URL is <paramref name="issuer"/>, ignoring one trailing slash on either side.</summary>
    public async ValueTask<OidcProvider?> FindByIssuerAsync(string issuer, CancellationToken cancellationToken)
    {
        var wanted = OidcProviderUrl.NormalizeIssuer(issuer);
        return (await AllAsync(cancellationToken))
            .FirstOrDefault(p => string.Equals(OidcProviderUrl.NormalizeIssuer(p.Url), wanted, StringComparison.Ordinal));
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    /// <summary>One load shared by concurrent callers; a failed load is not kept.</summary>
    private Task<IReadOnlyList<OidcProvider>> CurrentLoad()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_snapshot is { } s && now < s.Expires && !s.Load.IsFaulted && !s.Load.IsCanceled)
            {
                return s.Load;
            }

            var load = _store.ListOidcProvidersAsync(CancellationToken.None);
            _snapshot = new Snapshot(load, now + Lifetime);
            return load;
        }
    }

    private sealed record Snapshot(Task<IReadOnlyList<OidcProvider>> Load, DateTimeOffset Expires);
}
