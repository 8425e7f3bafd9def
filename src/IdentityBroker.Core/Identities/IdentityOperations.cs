using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Identities.Lifecycle;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Limits;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Identities;

/// <summary>GetId, DescribeIdentity, ListIdentities, DeleteIdentities.</summary>
public sealed class IdentityOperations(
    PoolDirectory pools,
    IIdentityStore identities,
    LoginVerifier verifier,
    IdentityAccess access,
    IdentityIds ids,
    GuestQuota guests,
    IIdentityLifecycleStore lifecycle,
    LastSeenTracker lastSeen,
    IOptions<BrokerOptions> options,
    TimeProvider time)
{
    /// <returns>The identity the logins belong to (or a new guest); after a merge, the owner.</returns>
    public async Task<Result<Identity>> GetIdAsync(GetId command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var poolId = command.IdentityPoolId;
        var pool = await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (pool is null || (command.AccountId is { } account && account != options.Value.AccountId))
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        if (command.Logins.Count == 0)
        {
            return await NewGuestAsync(pool, command.SourceIp, cancellationToken).ConfigureAwait(false);
        }

        var verified = await verifier.VerifyAsync(pool, command.Logins, cancellationToken).ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        if (verified.Value.FirstOrDefault(l => !l.IsLinkable) is { } proof)
        {
            // The broker's own token names its identity: answer that one (linking any other logins to it).
            return await GetProvenIdAsync(proof.ProvenIdentityId!, command.Logins, cancellationToken).ConfigureAwait(false);
        }

        // Several logins owned by different identities merge them (docs/identities.md); the owner's id is returned.
        var keys = LoginSets.Linkable(verified.Value);
        var resolution = await identities.ResolveLoginsAsync(NewIdentity(pool), keys, LoginSets.PolicyOf(pool), time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        if (resolution.Kind == LoginResolutionKind.Conflict)
        {
            return CognitoErrors.ResourceConflict(resolution.ConflictReason ?? "The logins belong to different identities.");
        }

        var identity = resolution.Identity!;
        if (identity.Disabled)
        {
            return CognitoErrors.IdentityForbidden(identity.IdentityId);
        }

        if (resolution.Kind != LoginResolutionKind.Created)
        {
            await lastSeen.SeenAsync(identity.IdentityId, cancellationToken).ConfigureAwait(false);
        }

        return identity;
    }

    private async Task<Result<Identity>> GetProvenIdAsync(
        string identityId, IReadOnlyDictionary<string, string> logins, CancellationToken cancellationToken)
    {
        var authorized = await access.AuthorizeAsync(identityId, logins, cancellationToken).ConfigureAwait(false);
        return authorized.IsSuccess ? authorized.Value.Identity : authorized.Error!;
    }

    public async Task<Result<Identity>> DescribeIdentityAsync(DescribeIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = await identities.GetIdentityAsync(command.IdentityId, cancellationToken).ConfigureAwait(false);
        return identity is null ? CognitoErrors.IdentityNotFound(command.IdentityId) : identity;
    }

    public async Task<Result<IdentityList>> ListIdentitiesAsync(ListIdentities command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var poolId = command.IdentityPoolId;
        if (await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        var page = await Paging.ReadAsync(
            () => identities.ListIdentitiesAsync(poolId, command.MaxResults, command.NextToken, command.HideDisabled, cancellationToken))
            .ConfigureAwait(false);
        return page.IsSuccess ? new IdentityList(poolId, page.Value.Items, page.Value.NextToken) : page.Error!;
    }

    /// <summary>Unknown ids are not "unprocessed": the model's error codes are AccessDenied and InternalServerError only.</summary>
    public async Task<Result<Unit>> DeleteIdentitiesAsync(DeleteIdentities command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var identityId in command.IdentityIds.Distinct(StringComparer.Ordinal))
        {
            await identities.DeleteIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        }

        return Unit.Value;
    }

    private async Task<Result<Identity>> NewGuestAsync(IdentityPool pool, string? sourceIp, CancellationToken cancellationToken)
    {
        if (!pool.AllowUnauthenticatedIdentities)
        {
            return CognitoErrors.UnauthenticatedNotSupported();
        }

        if (await guests.CheckAsync(sourceIp, cancellationToken).ConfigureAwait(false) is { } throttled)
        {
            return throttled;
        }

        var identity = NewIdentity(pool);
        if (pool.Limits?.MaxGuestIdentities is not { } maxGuests)
        {
            await identities.CreateIdentityAsync(identity, cancellationToken).ConfigureAwait(false);
            return identity;
        }

        return await lifecycle.TryCreateGuestAsync(identity, maxGuests, cancellationToken).ConfigureAwait(false)
            ? identity
            : CognitoErrors.LimitExceeded($"The identity pool has reached its limit of {maxGuests} guest identities (MaxGuestIdentities).");
    }

    private Identity NewIdentity(IdentityPool pool)
    {
        var now = time.GetUtcNow();
        return new Identity { IdentityId = ids.NewId(), IdentityPoolId = pool.IdentityPoolId, CreationDate = now, LastModifiedDate = now };
    }
}
