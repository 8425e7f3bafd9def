using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Storage;

/// <summary>One resource of a configuration apply: its stored value as the plan read it (null: absent) and the value to store (null: delete).</summary>
public sealed record StoredChange<T>(string Key, T? Before, T? After)
    where T : class;

/// <summary>Every resource an apply changes, by kind (docs/config-as-code.md).</summary>
public sealed record ConfigurationChanges(
    IReadOnlyList<StoredChange<IamRole>> Roles,
    IReadOnlyList<StoredChange<OidcProvider>> OidcProviders,
    IReadOnlyList<StoredChange<SamlProvider>> SamlProviders,
    IReadOnlyList<StoredChange<IdentityPool>> Pools)
{
    public const string RoleKind = "Role";
    public const string OidcProviderKind = "OpenIdConnectProvider";
    public const string SamlProviderKind = "SamlProvider";
    public const string PoolKind = "IdentityPool";
    public const string UserPoolKind = "UserPool";
    public const string UserPoolClientKind = "UserPoolClient";
    public const string UserPoolGroupKind = "UserPoolGroup";
    public const string ResourceServerKind = "ResourceServer";

    /// <summary>User pools, app clients (keyed <c>poolId/clientId</c>) and groups (keyed <c>poolId/name key</c>).</summary>
    public UserPoolChanges UserPools { get; init; } = UserPoolChanges.None;

    public bool IsEmpty => Roles.Count + OidcProviders.Count + SamlProviders.Count + Pools.Count == 0 && UserPools.IsEmpty;

    /// <summary>How a report names a resource: its kind and key, e.g. <c>Role MyRole</c>.</summary>
    public static string Name(string kind, string key) => $"{kind} {key}";
}

/// <summary>The user-pool resources of an apply. Deleting a pool deletes its users (and their state), as DeleteUserPoolAsync does.</summary>
public sealed record UserPoolChanges(
    IReadOnlyList<StoredChange<UserPool>> Pools,
    IReadOnlyList<StoredChange<UserPoolClient>> Clients,
    IReadOnlyList<StoredChange<UserPoolGroup>> Groups)
{
    public static UserPoolChanges None { get; } = new([], [], []);

    /// <summary>Resource servers, keyed <c>poolId/identifier</c>.</summary>
    public IReadOnlyList<StoredChange<UserPools.ResourceServers.ResourceServer>> ResourceServers { get; init; } = [];

    public bool IsEmpty => Pools.Count + Clients.Count + Groups.Count + ResourceServers.Count == 0;
}

/// <summary>
/// What an apply did. <see cref="Applied"/>: every change was written. Otherwise <see cref="Interfered"/> names the resources
/// another writer changed since the plan read them, and <see cref="LeftChanged"/> the resources that stay changed anyway
/// (empty unless a store could not undo an earlier step: only a Redis store writes in steps).
/// </summary>
public sealed record ConfigurationWrite(bool Applied, IReadOnlyList<string> Interfered, IReadOnlyList<string> LeftChanged)
{
    public static ConfigurationWrite Done { get; } = new(true, [], []);
}

/// <summary>Writes a configuration all-or-nothing, each resource only if it is still as the plan read it.</summary>
public interface IConfigurationStore
{
    /// <summary>
    /// Writes <paramref name="changes"/> when every resource's stored value still equals its <see cref="StoredChange{T}.Before"/>;
    /// otherwise writes nothing and names the resources that differ. Deleting a pool deletes its identities, as DeletePoolAsync does.
    /// </summary>
    Task<ConfigurationWrite> ApplyConfigurationAsync(ConfigurationChanges changes, CancellationToken cancellationToken);
}
