using System.Collections.Concurrent;
using IdentityBroker.Iam;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Iam;

/// <summary>A small in-memory <see cref="IIamStore"/> for unit tests of the IAM actions and the OIDC validator.</summary>
internal sealed class InMemoryIamStore : IIamStore
{
    private readonly ConcurrentDictionary<string, IamRole> _roles = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, OidcProvider> _providers = new(StringComparer.Ordinal);

    public int ListCalls { get; private set; }

    public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken) => Task.FromResult(_roles.TryAdd(role.RoleName, role));

    public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(_roles.TryGetValue(roleName, out var role) ? role : null);

    public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken) => Task.FromResult(Replace(_roles, role.RoleName, role));

    public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) => Task.FromResult(_roles.TryRemove(roleName, out _));

    public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IamRole>>([.. _roles.Values]);

    public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) =>
        Task.FromResult(_providers.TryAdd(provider.Arn, provider));

    public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult(_providers.TryGetValue(arn, out var provider) ? provider : null);

    public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(_providers, provider.Arn, provider));

    public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) => Task.FromResult(_providers.TryRemove(arn, out _));

    public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken)
    {
        ListCalls++;
        return Task.FromResult<IReadOnlyList<OidcProvider>>([.. _providers.Values]);
    }

    private static bool Replace<T>(ConcurrentDictionary<string, T> items, string key, T value)
        where T : class
    {
        if (!items.TryGetValue(key, out var existing))
        {
            return false;
        }

        return items.TryUpdate(key, value, existing);
    }
}
