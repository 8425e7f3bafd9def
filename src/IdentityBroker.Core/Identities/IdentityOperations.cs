using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;
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
    IOptions<BrokerOptions> options,
    TimeProvider time)
{
    public async Task<Result<GetIdResponse>> GetIdAsync(GetIdRequest request, CancellationToken cancellationToken)
    {
        var poolId = request.IdentityPoolId!;
        var pool = await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (pool is null || (request.AccountId is { } account && account != options.Value.AccountId))
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        if (request.Logins is null || request.Logins.Count == 0)
        {
            return await NewGuestAsync(pool, cancellationToken).ConfigureAwait(false);
        }

        var verified = await verifier.VerifyAsync(pool, request.Logins, cancellationToken).ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        if (verified.Value.FirstOrDefault(l => !l.IsLinkable) is { } proof)
        {
            // The broker's own token names its identity: answer that one (linking any other logins to it).
            return await GetProvenIdAsync(proof.ProvenIdentityId!, request.Logins, cancellationToken).ConfigureAwait(false);
        }

        // Several logins owned by different identities merge them (notes §8); the owner's id is returned.
        var keys = LoginSets.Linkable(verified.Value);
        var resolution = await identities.ResolveLoginsAsync(NewIdentity(pool), keys, LoginSets.PolicyOf(pool), time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        if (resolution.Kind == LoginResolutionKind.Conflict)
        {
            return CognitoErrors.ResourceConflict(resolution.ConflictReason ?? "The logins belong to different identities.");
        }

        var identity = resolution.Identity!;
        return identity.Disabled ? CognitoErrors.IdentityForbidden(identity.IdentityId) : new GetIdResponse { IdentityId = identity.IdentityId };
    }

    private async Task<Result<GetIdResponse>> GetProvenIdAsync(
        string identityId, IReadOnlyDictionary<string, string> logins, CancellationToken cancellationToken)
    {
        var authorized = await access.AuthorizeAsync(identityId, logins, cancellationToken).ConfigureAwait(false);
        return authorized.IsSuccess ? new GetIdResponse { IdentityId = authorized.Value.Identity.IdentityId } : authorized.Error!;
    }

    public async Task<Result<IdentityDescription>> DescribeIdentityAsync(IdentityIdRequest request, CancellationToken cancellationToken)
    {
        var identity = await identities.GetIdentityAsync(request.IdentityId!, cancellationToken).ConfigureAwait(false);
        return identity is null ? CognitoErrors.IdentityNotFound(request.IdentityId!) : Describe(identity);
    }

    public async Task<Result<ListIdentitiesResponse>> ListIdentitiesAsync(ListIdentitiesRequest request, CancellationToken cancellationToken)
    {
        var poolId = request.IdentityPoolId!;
        if (await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        var page = await Paging.ReadAsync(
            () => identities.ListIdentitiesAsync(poolId, request.MaxResults!.Value, request.NextToken, request.HideDisabled ?? false, cancellationToken))
            .ConfigureAwait(false);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        return new ListIdentitiesResponse
        {
            IdentityPoolId = poolId,
            Identities = [.. page.Value.Items.Select(Describe)],
            NextToken = page.Value.NextToken,
        };
    }

    public async Task<Result<DeleteIdentitiesResponse>> DeleteIdentitiesAsync(DeleteIdentitiesRequest request, CancellationToken cancellationToken)
    {
        // Unknown ids are not "unprocessed": the model's error codes are AccessDenied and InternalServerError only.
        foreach (var identityId in request.IdentityIdsToDelete!.Distinct(StringComparer.Ordinal))
        {
            await identities.DeleteIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        }

        return new DeleteIdentitiesResponse();
    }

    private async Task<Result<GetIdResponse>> NewGuestAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        if (!pool.AllowUnauthenticatedIdentities)
        {
            return CognitoErrors.UnauthenticatedNotSupported();
        }

        var identity = NewIdentity(pool);
        await identities.CreateIdentityAsync(identity, cancellationToken).ConfigureAwait(false);
        return new GetIdResponse { IdentityId = identity.IdentityId };
    }

    private Identity NewIdentity(IdentityPool pool)
    {
        var now = time.GetUtcNow();
        return new Identity { IdentityId = ids.NewId(), IdentityPoolId = pool.IdentityPoolId, CreationDate = now, LastModifiedDate = now };
    }

    private static IdentityDescription Describe(Identity identity) => new()
    {
        IdentityId = identity.IdentityId,
        Logins = identity.Logins.Count == 0 ? null : [.. identity.Logins.Select(l => l.Provider).Distinct(StringComparer.Ordinal)],
        CreationDate = IdentityIds.EpochSeconds(identity.CreationDate),
        LastModifiedDate = IdentityIds.EpochSeconds(identity.LastModifiedDate),
    };
}
