using IdentityBroker.Iam;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    // Keys match exactly (ordinal). Real IAM treats role names case-insensitively for uniqueness; the IAM
    // handlers decide whether to look up a role by another spelling before calling the store.
    private static readonly SqliteDocumentTable<IamRole> Roles =
        new("iam_roles", "name", StoreJsonContext.Default.IamRole, r => r.RoleName);

    private static readonly SqliteDocumentTable<OidcProvider> OidcProviders =
        new("oidc_providers", "arn", StoreJsonContext.Default.OidcProvider, p => p.Arn);

    public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return WriteAsync(role, static (s, role, ct) => Roles.InsertAsync(s, role, ct), cancellationToken);
    }

    public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
        ReadAsync(roleName, static (s, name, ct) => Roles.SelectAsync(s, name, ct), cancellationToken);

    public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return WriteAsync(role, static (s, role, ct) => Roles.UpdateAsync(s, role, ct), cancellationToken);
    }

    public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) =>
        WriteAsync(roleName, static (s, name, ct) => Roles.DeleteAsync(s, name, ct), cancellationToken);

    /// <returns>All roles ordered by name.</returns>
    public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static (s, _, ct) => Roles.ListAsync(s, ct), cancellationToken);

    public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(provider, static (s, p, ct) => OidcProviders.InsertAsync(s, p, ct), cancellationToken);
    }

    public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) =>
        ReadAsync(arn, static (s, arn, ct) => OidcProviders.SelectAsync(s, arn, ct), cancellationToken);

    public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(provider, static (s, p, ct) => OidcProviders.UpdateAsync(s, p, ct), cancellationToken);
    }

    public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) =>
        WriteAsync(arn, static (s, arn, ct) => OidcProviders.DeleteAsync(s, arn, ct), cancellationToken);

    /// <returns>All OIDC providers ordered by ARN.</returns>
    public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static (s, _, ct) => OidcProviders.ListAsync(s, ct), cancellationToken);
}
