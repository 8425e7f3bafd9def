using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Identities.Lifecycle;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities;

/// <summary>An identity whose caller proved the right to use it, with the logins that proved it.</summary>
public sealed record AuthorizedIdentity(IdentityPool Pool, Identity Identity, IReadOnlyList<ValidatedLogin> Logins);

/// <summary>
/// Who may use an identity (GetOpenIdToken, GetCredentialsForIdentity, UnlinkIdentity): a guest identity with no logins,
/// or an authenticated one with at least one valid token for a login already linked to it, or the broker's own token
/// for exactly that identity (developer flow) (Cognito Identity API reference, GetCredentialsForIdentity). New logins presented with the identity are linked to it;
/// logins of other identities merge them (docs/identities.md) and the owner is returned, which may be another identity.
/// </summary>
public sealed class IdentityAccess(
    PoolDirectory pools, IIdentityStore identities, LoginVerifier verifier, LastSeenTracker lastSeen, TimeProvider time)
{
    public async Task<Result<AuthorizedIdentity>> AuthorizeAsync(
        string identityId, IReadOnlyDictionary<string, string>? logins, CancellationToken cancellationToken)
    {
        var proven = await ProveAsync(identityId, logins, cancellationToken).ConfigureAwait(false);
        if (!proven.IsSuccess)
        {
            return proven.Error!;
        }

        var (pool, identity, verified) = proven.Value;
        var keys = LoginSets.Linkable(verified);
        if (verified.Any(l => !l.IsLinkable))
        {
            // The broker's token stands for the identity's own logins: the identity owns a presented login, so on a
            // merge it competes for ownership like any other owner (LoginLinkRules: the oldest owner wins).
            keys.AddRange(identity.Logins.Where(l => !keys.Contains(l)));
        }

        if (keys.TrueForAll(identity.Logins.Contains))
        {
            return proven.Value;
        }

        var resolution = await identities.ResolveLoginsAsync(identity, keys, LoginSets.PolicyOf(pool), time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        return resolution.Kind == LoginResolutionKind.Conflict
            ? CognitoErrors.ResourceConflict(resolution.ConflictReason ?? "A login is already linked to another identity.")
            : new AuthorizedIdentity(pool, resolution.Identity!, verified);
    }

    /// <summary>
    /// Checks that the caller may act for the identity, without linking anything: the identity exists, is enabled,
    /// and the logins are valid and include one of its own (or it is a guest presenting none).
    /// </summary>
    public async Task<Result<AuthorizedIdentity>> ProveAsync(
        string identityId, IReadOnlyDictionary<string, string>? logins, CancellationToken cancellationToken)
    {
        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        if (identity is null)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        var pool = await pools.FindAsync(identity.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.IdentityNotFound(identityId);
        }

        if (identity.Disabled)
        {
            return CognitoErrors.IdentityForbidden(identityId);
        }

        var proven = logins is null || logins.Count == 0
            ? AuthorizeGuest(pool, identity)
            : await ProveWithLoginsAsync(pool, identity, logins, cancellationToken).ConfigureAwait(false);
        if (proven.IsSuccess)
        {
            await lastSeen.SeenAsync(identityId, cancellationToken).ConfigureAwait(false);
        }

        return proven;
    }

    private static Result<AuthorizedIdentity> AuthorizeGuest(IdentityPool pool, Identity identity)
    {
        if (identity.IsAuthenticated)
        {
            return CognitoErrors.IdentityForbidden(identity.IdentityId);
        }

        return pool.AllowUnauthenticatedIdentities
            ? new AuthorizedIdentity(pool, identity, [])
            : CognitoErrors.UnauthenticatedNotSupported();
    }

    private async Task<Result<AuthorizedIdentity>> ProveWithLoginsAsync(
        IdentityPool pool, Identity identity, IReadOnlyDictionary<string, string> logins, CancellationToken cancellationToken)
    {
        var verified = await verifier.VerifyAsync(pool, logins, cancellationToken).ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        // The broker's own token proves the identity it names, and only that one.
        var proofs = verified.Value.Where(l => !l.IsLinkable).ToList();
        if (proofs.Exists(p => p.ProvenIdentityId != identity.IdentityId))
        {
            return CognitoErrors.IdentityForbidden(identity.IdentityId);
        }

        // An authenticated identity is used only with one of its own logins: merging it on the strength of another
        // identity's login alone would hand its logins to whoever holds that other login.
        var keys = LoginSets.Linkable(verified.Value);
        if (identity.IsAuthenticated && proofs.Count == 0 && !keys.Exists(identity.Logins.Contains))
        {
            return CognitoErrors.LoginsDoNotMatch();
        }

        return new AuthorizedIdentity(pool, identity, verified.Value);
    }
}
