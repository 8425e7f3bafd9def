using IdentityBroker.Iam;
using IdentityBroker.Identities;
using IdentityBroker.Pools;

namespace IdentityBroker.Storage;

/// <summary>One page of a listing; <see cref="NextToken"/> is opaque to callers and null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);

public interface IPoolStore
{
    /// <exception cref="InvalidOperationException">A pool with this id exists (ids are generated; a repeat is a bug).</exception>
    Task CreatePoolAsync(IdentityPool pool, CancellationToken cancellationToken);

    Task<IdentityPool?> GetPoolAsync(string poolId, CancellationToken cancellationToken);

    /// <returns>False when the pool does not exist.</returns>
    Task<bool> UpdatePoolAsync(IdentityPool pool, CancellationToken cancellationToken);

    /// <summary>Deletes the pool with all its identities and logins.</summary>
    /// <returns>False when the pool does not exist.</returns>
    Task<bool> DeletePoolAsync(string poolId, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="maxResults"/> pools in a stable order; a token stays valid when pools are deleted.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> is not a token this listing issued.</exception>
    Task<Page<IdentityPool>> ListPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken);

    Task<int> CountPoolsAsync(CancellationToken cancellationToken);
}

public interface IIdentityStore
{
    /// <summary>Stores the identity with its logins.</summary>
    /// <exception cref="InvalidOperationException">The pool is missing, the id exists, or a login is linked already.</exception>
    Task CreateIdentityAsync(Identity identity, CancellationToken cancellationToken);

    Task<Identity?> GetIdentityAsync(string identityId, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically finds the identity owning any of <paramref name="logins"/>, or creates <paramref name="candidate"/>
    /// with them. Unlinked logins are linked to the owner. One login belongs to one identity under any concurrency.
    /// When <paramref name="candidate"/> already exists (an identity presenting new logins), it is the owner unless
    /// the logins belong elsewhere. Logins owned by several identities (or by another identity than the stored
    /// candidate) merge them: the owner chosen by <see cref="LoginLinkRules.ChooseTarget"/> takes every login of the
    /// others, which are disabled, all in one atomic step (<see cref="LoginResolutionKind.Merged"/>).
    /// </summary>
    /// <remarks>
    /// A <see cref="LoginResolutionKind.Conflict"/> (provider clash, more than <see cref="LinkPolicy.MaxLogins"/>
    /// logins) changes nothing. The rules are <see cref="LoginLinkRules"/>.
    /// </remarks>
    Task<LoginResolution> ResolveLoginsAsync(
        Identity candidate, IReadOnlyList<LoginKey> logins, LinkPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The identity that owns <paramref name="login"/> in the pool, or null.</summary>
    Task<string?> FindLoginOwnerAsync(string poolId, LoginKey login, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically removes those of <paramref name="logins"/> that are linked to the identity (others are ignored).
    /// Removing the last login disables the identity: it must not become a guest (docs/identities.md).
    /// </summary>
    /// <returns>The identity afterwards; null when it does not exist.</returns>
    Task<Identity?> UnlinkLoginsAsync(string identityId, IReadOnlyList<LoginKey> logins, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically merges the identity owning <paramref name="source"/> into the identity owning
    /// <paramref name="destination"/> (MergeDeveloperIdentities): the destination takes every login, the source's
    /// identity is disabled. A <see cref="IdentityMergeKind.Conflict"/> changes nothing.
    /// </summary>
    Task<IdentityMerge> MergeIdentitiesAsync(
        string poolId, LoginKey destination, LoginKey source, LinkPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the identity disabled (it keeps its logins); false when it does not exist.</summary>
    Task<bool> DisableIdentityAsync(string identityId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="maxResults"/> identities of the pool, with their logins, in a stable order.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> is not a token this listing issued.</exception>
    Task<Page<Identity>> ListIdentitiesAsync(string poolId, int maxResults, string? nextToken, bool hideDisabled, CancellationToken cancellationToken);

    /// <summary>Deletes the identity and its logins, which a later call may link to another identity.</summary>
    /// <returns>False when the identity does not exist.</returns>
    Task<bool> DeleteIdentityAsync(string identityId, CancellationToken cancellationToken);
}

/// <summary>Conveniences over <see cref="IIdentityStore"/>.</summary>
public static class IdentityStoreExtensions
{
    /// <summary><see cref="IIdentityStore.ResolveLoginsAsync(Identity, IReadOnlyList{LoginKey}, LinkPolicy, DateTimeOffset, CancellationToken)"/> for a pool with no developer provider.</summary>
    public static Task<LoginResolution> ResolveLoginsAsync(
        this IIdentityStore store, Identity candidate, IReadOnlyList<LoginKey> logins, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.ResolveLoginsAsync(candidate, logins, LinkPolicy.Default, now, cancellationToken);
    }
}

/// <summary>A key the broker keeps: signing keys for its tokens, the STS session-token key.</summary>
public sealed record StoredKey(string KeyId, string Purpose, string Material, DateTimeOffset CreatedAt);

public interface IKeyStore
{
    Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken);

    /// <summary>Adds the key unless one with the same id exists; the first writer wins across replicas.</summary>
    Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken);
}

public interface IIamStore
{
    Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken);

    Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken);

    Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken);

    Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken);

    Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken);

    Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken);

    Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken);

    Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken);

    Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken);
}
