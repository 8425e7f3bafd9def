using System.Collections.Concurrent;
using IdentityBroker.Storage;

namespace IdentityBroker.Iam.Roles;

/// <summary>
/// Keeps roles read from the store for <see cref="Freshness"/>: the embedded STS reads the role on every
/// AssumeRoleWithWebIdentity (every GetCredentialsForIdentity), and a store read per call was a visible share of that
/// path. Every role change made through this store empties the cache at once, so on one node the next call sees it; another
/// replica's change is seen within <see cref="Freshness"/> (like <c>PoolDirectory</c>'s pools; IAM itself documents that
/// its changes take time to propagate). OIDC providers and listings pass straight through.
/// </summary>
public sealed class RoleCachingIamStore(IIamStore inner, TimeProvider time) : IIamStore
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, CachedRole> _roles = new(StringComparer.Ordinal);
    private long _generation;

    public async Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_roles.TryGetValue(roleName, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Role;
        }

        // A change that completes while this read is under way bumps the generation: what was read may predate it, so it is
        // returned to this caller but not kept.
        var generation = Interlocked.Read(ref _generation);
        var role = await inner.GetRoleAsync(roleName, cancellationToken).ConfigureAwait(false);
        if (_roles.Count >= MaxEntries)
        {
            _roles.Clear();
        }

        if (Interlocked.Read(ref _generation) == generation)
        {
            _roles[roleName] = new CachedRole(role, now + Freshness);
        }

        return role;
    }

    public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken) =>
        ChangedAsync(inner.TryCreateRoleAsync(role, cancellationToken));

    public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken) =>
        ChangedAsync(inner.UpdateRoleAsync(role, cancellationToken));

    public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) =>
        ChangedAsync(inner.DeleteRoleAsync(roleName, cancellationToken));

    public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) => inner.ListRolesAsync(cancellationToken);

    public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) =>
        inner.TryCreateOidcProviderAsync(provider, cancellationToken);

    public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) => inner.GetOidcProviderAsync(arn, cancellationToken);

    public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) =>
        inner.UpdateOidcProviderAsync(provider, cancellationToken);

    public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) => inner.DeleteOidcProviderAsync(arn, cancellationToken);

    public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken) => inner.ListOidcProvidersAsync(cancellationToken);

    /// <summary>
    /// Empties the whole cache after the change (and even when it failed): role writes are rare operator calls, and a store
    /// may compare names in its own way (case), so no per-name bookkeeping is attempted.
    /// </summary>
    private async Task<bool> ChangedAsync(Task<bool> change)
    {
        try
        {
            return await change.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref _generation);
            _roles.Clear();
        }
    }

    private sealed record CachedRole(IamRole? Role, DateTimeOffset ExpiresAt);
}
