using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities;

/// <summary>An identity whose caller proved the right to use it, with the logins that proved it.</summary>
public sealed record AuthorizedIdentity(IdentityPool Pool, Identity Identity, IReadOnlyList<ValidatedLogin> Logins);

/// <summary>
/// Who may use an identity (GetOpenIdToken, GetCredentialsForIdentity): a guest identity with no logins, or an
/// authenticated one with at least one valid token for a login already linked to it (notes §2.3). New logins presented
/// with the identity are linked to it.
/// </summary>
public sealed class IdentityAccess(PoolDirectory pools, IIdentityStore identities, LoginVerifier verifier, TimeProvider time)
{
    public async Task<Result<AuthorizedIdentity>> AuthorizeAsync(
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

        return logins is null || logins.Count == 0
            ? AuthorizeGuest(pool, identity)
            : await AuthorizeWithLoginsAsync(pool, identity, logins, cancellationToken).ConfigureAwait(false);
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

    private async Task<Result<AuthorizedIdentity>> AuthorizeWithLoginsAsync(
        IdentityPool pool, Identity identity, IReadOnlyDictionary<string, string> logins, CancellationToken cancellationToken)
    {
        var verified = await verifier.VerifyAsync(pool, logins, cancellationToken).ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        var keys = verified.Value.Select(l => new LoginKey(l.ProviderKey, l.Subject)).ToList();
        var anyLinked = keys.Exists(identity.Logins.Contains);
        if (identity.IsAuthenticated && !anyLinked)
        {
            return CognitoErrors.LoginsDoNotMatch();
        }

        if (keys.TrueForAll(identity.Logins.Contains))
        {
            return new AuthorizedIdentity(pool, identity, verified.Value);
        }

        var resolution = await identities.ResolveLoginsAsync(identity, keys, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return resolution.Kind == LoginResolutionKind.Existing && resolution.Identity!.IdentityId == identity.IdentityId
            ? new AuthorizedIdentity(pool, resolution.Identity, verified.Value)
            : CognitoErrors.ResourceConflict(resolution.ConflictReason ?? "A login is already linked to another identity.");
    }
}
